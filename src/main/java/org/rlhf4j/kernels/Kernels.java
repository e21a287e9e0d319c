package org.rlhf4j.kernels;

/**
 * The contract every kernel family implements: the numerical work of rlhf4j, over flat {@code float[]}
 * arrays, offsets into them and int dimensions. A kernel never sees a Tensor.
 *
 * <p>Conventions (as in llm.c): outputs come first, gradients are prefixed {@code d}, every array is
 * followed by its offset. Arrays are row-major and contiguous unless a {@code strides} array says
 * otherwise. Methods whose name ends in {@code Backward} <em>accumulate</em> ({@code +=}) into their
 * gradient outputs, as micrograd's {@code _backward} does, so that a tensor used twice gets the sum.
 *
 * <p>Determinism: for a given implementation, results are bit-identical whatever the thread count
 * of its {@link Parallel}: work is split over independent outputs and every reduction runs in a
 * fixed order. Different implementations (scalar, SIMD) may differ by rounding; the tests bound it.
 *
 * <p>{@link org.rlhf4j.kernels.scalar.ScalarKernels} is the reference implementation of every method.
 */
public interface Kernels {

    /**
     * Short name of the family: {@code scalar}, {@code simd}, {@code opencl}; {@code auto} for the mix
     * of CPU and OpenCL kernels that auto makes for a device measured faster on large products.
     */
    String name();

    /** The parallel executor these kernels run on. */
    Parallel parallel();

    // ------------------------------------------------------------------------------------------
    // Matrix multiply
    // ------------------------------------------------------------------------------------------

    /**
     * Batched matrix multiply: for each {@code b < batch}, {@code out[b] (M,N) = op(A[b]) · op(B[b])},
     * or {@code +=} when {@code accumulate}. {@code op(A)} is {@code (M,K)}: A is stored {@code (M,K)},
     * or {@code (K,M)} when {@code transA}. {@code op(B)} is {@code (K,N)}: B is stored {@code (K,N)},
     * or {@code (N,K)} when {@code transB}. Batch strides are {@code M*K}, {@code K*N} and {@code M*N};
     * a batch stride of B of zero ({@code shareB}) multiplies every A[b] by the same B.
     */
    void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                int batch, int M, int K, int N, boolean transA, boolean transB,
                boolean shareB, boolean accumulate);

    // ------------------------------------------------------------------------------------------
    // Elementwise
    // ------------------------------------------------------------------------------------------

    /**
     * {@code out[i] = a[ia] op b[ib]} for every index of {@code shape}, out contiguous. The strides of
     * a and b are in elements, one per dimension of {@code shape}; a stride of 0 broadcasts.
     */
    void binary(Binary op, float[] out, int outOff,
                float[] a, int aOff, int[] aStrides,
                float[] b, int bOff, int[] bStrides, int[] shape);

    /**
     * The gradient of {@link #binary} with respect to one operand, before reduction to that operand's
     * shape: {@code dx[i] = dout[i] * d(a op b)/d(x)} where x is a ({@code wrtA}) or b, all over the
     * contiguous {@code shape}. Writes (does not accumulate): the caller reduces with
     * {@link #accumulateStrided}.
     */
    void binaryBackward(Binary op, boolean wrtA, float[] dx, int dxOff, float[] dout, int doutOff,
                        float[] a, int aOff, int[] aStrides,
                        float[] b, int bOff, int[] bStrides, int[] shape);

    /** {@code out[i] = f(in[i]; p, q)} for the {@code n} elements; p and q are the op's parameters. */
    void unary(Unary op, float p, float q, float[] out, int outOff, float[] in, int inOff, int n);

    /**
     * {@code dinp[i] += dout[i] * f'(inp[i])}; {@code out} is the forward result (some derivatives
     * read it: exp, tanh, sigmoid, sqrt).
     */
    void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                       float[] inp, int inpOff, float[] out, int outOff, int n);

    /** {@code out[i] = cond[ic] != 0 ? a[ia] : b[ib]} with broadcasting strides, out contiguous. */
    void where(float[] out, int outOff, float[] cond, int condOff, int[] condStrides,
               float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, int[] shape);

    /** {@code out[i] = in[ii]} for every index of {@code shape}: a strided gather (permute, expand). */
    void copyStrided(float[] out, int outOff, float[] in, int inOff, int[] inStrides, int[] shape);

    /**
     * {@code out[io] += in[i]} for every index of the contiguous {@code shape}; {@code outStrides} has
     * zeros on the dimensions summed away. Used to reduce a broadcast gradient to its operand's shape.
     */
    void accumulateStrided(float[] out, int outOff, int[] outStrides, float[] in, int inOff, int[] shape);

    /** {@code dst[i] += alpha * src[i]}. */
    void addScaled(float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n);

    /** {@code out[i] = value}. */
    void fill(float[] out, int outOff, float value, int n);

    // ------------------------------------------------------------------------------------------
    // Reductions over one axis; the input is viewed as (outer, n, inner)
    // ------------------------------------------------------------------------------------------

    /** {@code out[o,i] = sum_j in[o,j,i]}. */
    void sumAxis(float[] out, int outOff, float[] in, int inOff, int outer, int n, int inner);

    /** {@code dinp[o,j,i] += dout[o,i]}: the backward of {@link #sumAxis}. */
    void sumAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int outer, int n, int inner);

    /**
     * {@code out[o,i] = max_j in[o,j,i]}, {@code argmax[o,i]} the first j reaching it (NaN wins).
     * n must be at least 1.
     */
    void maxAxis(float[] out, int outOff, int[] argmax, int argmaxOff, float[] in, int inOff,
                 int outer, int n, int inner);

    /** {@code dinp[o,argmax[o,i],i] += dout[o,i]}: the subgradient of {@link #maxAxis}. */
    void maxAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                         int outer, int n, int inner);

    // ------------------------------------------------------------------------------------------
    // Softmax family over the last axis of a (rows, cols) array
    // ------------------------------------------------------------------------------------------

    /**
     * {@code out[r,:] = exp(inp[r,:] - max) / sum exp(inp[r,:] - max)}. A row of only -inf (fully
     * masked) gives zeros, not NaN.
     */
    void softmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols);

    /**
     * Causal softmax over {@code mats} matrices of (rows, cols): row i of each keeps its first
     * {@code n = min(cols, offset + i + 1)} entries (a query at position offset + i sees keys 0 .. offset + i)
     * and gets their softmax; entries n .. cols-1 are 0. The same, bit for bit, as setting those entries to
     * -inf and calling {@link #softmaxForward} on the rows, without the masked copy. Its backward is
     * {@link #softmaxBackward} on the output (masked entries have output 0, so they receive no gradient).
     * This default runs row by row on {@link #softmaxForward}, which is exact for a kernel whose row sum
     * adds the entries in index order; a kernel that sums in another order overrides it.
     */
    default void causalSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int mats, int rows, int cols,
                                      int offset) {
        for (int r = 0; r < mats * rows; r++) {
            int o = r * cols, n = Math.min(cols, offset + r % rows + 1);
            softmaxForward(out, outOff + o, inp, inpOff + o, 1, n);
            java.util.Arrays.fill(out, outOff + o + n, outOff + o + cols, 0f);
        }
    }

    /**
     * Causal multi-head self-attention on a fused projection (Vaswani et al. 2017, Eq. 1, with the
     * decoder's mask): {@code qkv} is (B, T, 3C) laid out as (B, T, 3, NH, HS), C = NH * HS, as GPT-2's
     * {@code c_attn} writes it. For each batch row b and head h, with q, k, v the head's (T, HS) slices:
     * {@code P = causalSoftmax((q * scale) k^T)} into {@code probs} (B, NH, T, T), zeros above the
     * diagonal, and {@code out[b, t, h*HS:(h+1)*HS] = (P v)[t]}, out (B, T, C) with the heads joined.
     *
     * <p>This default is the composition the tape would record: gather the heads, {@link #unary} SCALE
     * on q, a batched {@link #matmul} with k read transposed, {@link #causalSoftmaxForward}, a batched
     * product with v and a copy that joins the heads. A CPU kernel family that overrides it must give the
     * same bits (AttentionProperties checks it against this default on the family's own primitives); the
     * OpenCL family, every op of which is held to error bounds instead, to within those
     * (OpenClAttentionProperties).
     */
    default void attentionForward(float[] out, int outOff, float[] probs, int probsOff, float[] qkv, int qkvOff,
                                  int B, int T, int NH, int HS, float scale) {
        int C = NH * HS, n = B * NH * T * HS, heads = B * NH;
        int[] shape = {B, NH, T, HS}, strides = {T * 3 * C, HS, 3 * C, 1};
        float[] q = new float[n], k = new float[n], v = new float[n], s = new float[heads * T * T], y = new float[n];
        copyStrided(q, 0, qkv, qkvOff, strides, shape);
        unary(Unary.SCALE, scale, 0f, q, 0, q, 0, n);
        copyStrided(k, 0, qkv, qkvOff + C, strides, shape);
        copyStrided(v, 0, qkv, qkvOff + 2 * C, strides, shape);
        matmul(s, 0, q, 0, k, 0, heads, T, HS, T, false, true, false, false);
        causalSoftmaxForward(probs, probsOff, s, 0, heads, T, T, 0);
        matmul(y, 0, probs, probsOff, v, 0, heads, T, T, HS, false, false, false, false);
        copyStrided(out, outOff, y, 0, new int[] {NH * T * HS, HS, T * HS, 1}, new int[] {B, T, NH, HS});
    }

    /**
     * The gradient of {@link #attentionForward}, accumulated into {@code dqkv} (B, T, 3C), from
     * {@code dout} (B, T, C) and the saved {@code probs}. Per head, with dY the head's slice of dout:
     * {@code dP = dY v^T}, {@code dv = P^T dY}, {@code dS = P * (dP - rowsum(dP * P))} (the softmax's
     * backward), {@code dq = (dS k) * scale}, {@code dk = dS^T (q * scale)}. This default composes the
     * primitives in the order the tape would; an override must give the same bits (on the CPU; on OpenCL,
     * the same values within error bounds, as {@link #attentionForward}).
     */
    default void attentionBackward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] probs, int probsOff,
                                   float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        int C = NH * HS, n = B * NH * T * HS, heads = B * NH;
        int[] shape = {B, NH, T, HS}, strides = {T * 3 * C, HS, 3 * C, 1};
        float[] q = new float[n], k = new float[n], v = new float[n], dy = new float[n];
        copyStrided(q, 0, qkv, qkvOff, strides, shape);
        unary(Unary.SCALE, scale, 0f, q, 0, q, 0, n);
        copyStrided(k, 0, qkv, qkvOff + C, strides, shape);
        copyStrided(v, 0, qkv, qkvOff + 2 * C, strides, shape);
        copyStrided(dy, 0, dout, doutOff, new int[] {T * C, HS, C, 1}, shape);
        float[] dp = new float[heads * T * T], ds = new float[heads * T * T];
        float[] dq = new float[n], dk = new float[n], dv = new float[n];
        matmul(dp, 0, dy, 0, v, 0, heads, T, HS, T, false, true, false, false);
        matmul(dv, 0, probs, probsOff, dy, 0, heads, T, T, HS, true, false, false, false);
        softmaxBackward(ds, 0, dp, 0, probs, probsOff, heads * T, T);
        matmul(dq, 0, ds, 0, k, 0, heads, T, T, HS, false, false, false, false);
        matmul(dk, 0, ds, 0, q, 0, heads, T, T, HS, true, false, false, false);
        unary(Unary.SCALE, scale, 0f, dq, 0, dq, 0, n);
        accumulateStrided(dqkv, dqkvOff, strides, dq, 0, shape);
        accumulateStrided(dqkv, dqkvOff + C, strides, dk, 0, shape);
        accumulateStrided(dqkv, dqkvOff + 2 * C, strides, dv, 0, shape);
    }

    /** {@code dinp[r,j] += out[r,j] * (dout[r,j] - sum_k dout[r,k] out[r,k])}. */
    void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                         int rows, int cols);

    /** {@code out[r,:] = inp[r,:] - logsumexp(inp[r,:])}. A row of only -inf gives -inf, not NaN. */
    void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols);

    /** {@code dinp[r,j] += dout[r,j] - exp(out[r,j]) * sum_k dout[r,k]}. */
    void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                            int rows, int cols);

    /**
     * Fused softmax cross-entropy: {@code losses[r] = logsumexp(logits[r,:]) - logits[r, targets[r]]},
     * and 0 where {@code targets[r] == ignoreIndex}. Saves {@code lse[r]} for the backward pass.
     * A target outside {@code [0, V)} that is not the ignore index throws IndexOutOfBoundsException
     * (here and in the backward pass).
     */
    void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                             float[] logits, int logitsOff, int[] targets, int targetsOff,
                             int rows, int V, int ignoreIndex);

    /** {@code dlogits[r,v] += dlosses[r] * (softmax(logits[r,:])[v] - [v == targets[r]])}; ignored rows get 0. */
    void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                              float[] logits, int logitsOff, float[] lse, int lseOff,
                              int[] targets, int targetsOff, int rows, int V, int ignoreIndex);

    /**
     * The rows of logits {@link #linearCrossEntropyForward} materialises at a time for an (N, V) head: as many
     * as fit {@value #LINEAR_CROSS_ENTROPY_CHUNK_FLOATS} floats (at least one; at most N when N > 0), so that the whole
     * (N, V) array is made only when it is that small. GPT-2's head (V = 50257) gets 667 rows, a 128 MB chunk,
     * where a batch of 4 x 1024 tokens would hold 823 MB of logits and as much again of their gradient.
     */
    static int linearCrossEntropyChunk(int N, int V) {
        return (int) Math.max(1, Math.min(N, LINEAR_CROSS_ENTROPY_CHUNK_FLOATS / Math.max(1, V)));
    }

    /**
     * The rows a chunk of the fused head really holds: {@code chunkRows} as asked, but at least 1, at most N, and
     * never more than {@link #LINEAR_CROSS_ENTROPY_CHUNK_FLOATS} floats (so that rows · V never overflows an int).
     */
    static int linearCrossEntropyRows(int N, int V, int chunkRows) {
        return Math.max(1, Math.min(Math.min(N, chunkRows), LINEAR_CROSS_ENTROPY_CHUNK_FLOATS / Math.max(1, V)));
    }

    /**
     * Whether {@link #linearCrossEntropyForward} keeps the logits in an array it is offered (the CPU families:
     * true); a caller need not allocate one for a family that never does (OpenCL keeps them on its device).
     */
    default boolean keepsLinearCrossEntropyLogits() {
        return true;
    }

    /** The size of {@link #linearCrossEntropyChunk}'s chunk, in floats (2^25, 128 MB). */
    int LINEAR_CROSS_ENTROPY_CHUNK_FLOATS = 1 << 25;

    /**
     * A linear head fused with the softmax cross-entropy: {@code logits = x · w^T} ((N, C) times w stored (V, C),
     * as the tied head of a GPT reads its token embedding), then {@link #crossEntropyForward} of those logits:
     * {@code losses[r] = lse[r] - logits[r, targets[r]]}, {@code lse[r] = logsumexp(logits[r, :])}, 0 and 0 on
     * ignored rows. The logits exist only {@code chunkRows} rows at a time (clamped by
     * {@link #linearCrossEntropyRows}) and are not returned, unless
     * {@code saved} is given: then the family may write all of them there ((N, V) row-major from index 0;
     * {@code saved} holds at least N·V floats) for the backward to read instead of recomputing, and returns true
     * when it did. Without them the backward recomputes the logits chunk by chunk (as Liger Kernel's fused linear
     * cross-entropy does; Hsu et al. 2024), so no (N, V) array outlives the call. Every row is independent, so the
     * results do not depend on {@code chunkRows} or on {@code saved}.
     *
     * <p>This default is the composition: {@link #matmul} into saved (or, per chunk, a scratch array) and
     * {@link #crossEntropyForward}; it keeps the logits whenever saved is given. A family that overrides it must
     * give the same values (on the CPU, the same bits), and may keep the logits on its device instead.
     */
    default boolean linearCrossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                              float[] x, int xOff, float[] w, int wOff, int[] targets, int targetsOff,
                                              int N, int C, int V, int ignoreIndex, int chunkRows, float[] saved) {
        if (saved != null) {
            matmul(saved, 0, x, xOff, w, wOff, 1, N, C, V, false, true, false, false);
            crossEntropyForward(losses, lossesOff, lse, lseOff, saved, 0, targets, targetsOff, N, V, ignoreIndex);
            return true;
        }
        int R = linearCrossEntropyRows(N, V, chunkRows);
        float[] z = new float[R * V];
        for (int r0 = 0; r0 < N; r0 += R) {
            int rows = Math.min(R, N - r0);
            matmul(z, 0, x, xOff + r0 * C, w, wOff, 1, rows, C, V, false, true, false, false);
            crossEntropyForward(losses, lossesOff + r0, lse, lseOff + r0, z, 0, targets, targetsOff + r0,
                    rows, V, ignoreIndex);
        }
        return false;
    }

    /**
     * The gradient of {@link #linearCrossEntropyForward}, accumulated: with
     * {@code dz[r, v] = dlosses[r] (softmax(logits[r, :])[v] - [v = targets[r]])} (0 on ignored rows),
     * {@code dx += dz · w} (N, C) and {@code dw += dz^T · x} (V, C); a null dx or dw is not computed (a frozen
     * input: its product is skipped). The logits come from {@code saved} when it is
     * not null (the array the forward returned true for; a family may ignore it and recompute), else they are
     * recomputed chunk by chunk from x, w and the saved lse. The default composes {@link #matmul}, {@link #fill}
     * and {@link #crossEntropyBackward} per chunk; dw sums its chunks in order, so its last bits depend on
     * {@code chunkRows} (dx's do not).
     */
    default void linearCrossEntropyBackward(float[] dx, int dxOff, float[] dw, int dwOff, float[] dlosses,
                                            int dlossesOff, float[] x, int xOff, float[] w, int wOff,
                                            float[] lse, int lseOff, int[] targets, int targetsOff,
                                            int N, int C, int V, int ignoreIndex, int chunkRows, float[] saved) {
        int R = linearCrossEntropyRows(N, V, chunkRows);
        float[] z = saved != null ? saved : new float[R * V], dz = new float[R * V];
        for (int r0 = 0; r0 < N; r0 += R) {
            int rows = Math.min(R, N - r0), zOff = saved != null ? r0 * V : 0;
            if (saved == null) {
                matmul(z, 0, x, xOff + r0 * C, w, wOff, 1, rows, C, V, false, true, false, false);
            }
            fill(dz, 0, 0f, rows * V);
            crossEntropyBackward(dz, 0, dlosses, dlossesOff + r0, z, zOff, lse, lseOff + r0, targets, targetsOff + r0,
                    rows, V, ignoreIndex);
            if (dx != null) {
                matmul(dx, dxOff + r0 * C, dz, 0, w, wOff, 1, rows, V, C, false, false, false, true);
            }
            if (dw != null) {
                matmul(dw, dwOff, dz, 0, x, xOff + r0 * C, 1, V, rows, C, true, false, false, true);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Layer norm over the last axis of an (N, C) array (Ba, Kiros, Hinton 2016)
    // ------------------------------------------------------------------------------------------

    /**
     * {@code out[n,:] = (inp[n,:] - mean[n]) * rstd[n] * weight + bias}, with
     * {@code rstd = 1/sqrt(var + eps)} and the biased variance; saves mean and rstd.
     */
    void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                          float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                          int N, int C, float eps);

    /** Accumulates the gradients of inp, weight and bias (docs/derivations/layernorm.md). */
    void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                           float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                           float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C);

    // ------------------------------------------------------------------------------------------
    // Embedding and dropout
    // ------------------------------------------------------------------------------------------

    /** {@code out[n,:] = table[ids[n],:]}; an id outside {@code [0, V)} throws IndexOutOfBoundsException. */
    void embeddingForward(float[] out, int outOff, float[] table, int tableOff, int[] ids, int idsOff,
                          int N, int V, int C);

    /** {@code dtable[ids[n],:] += dout[n,:]}, summed over n in increasing order (scatter-add). */
    void embeddingBackward(float[] dtable, int dtableOff, float[] dout, int doutOff, int[] ids, int idsOff,
                           int N, int V, int C);

    /**
     * Inverted dropout: {@code mask[i] = keep ? 1/(1-p) : 0} with keep drawn with probability
     * {@code 1-p} from {@link CounterRng#uniform(long, long)} at counter i, and {@code out = inp * mask}.
     * The mask depends on (seed, i) only, never on the thread count.
     */
    void dropoutForward(float[] out, int outOff, float[] mask, int maskOff, float[] inp, int inpOff,
                        int n, float p, long seed);
}
