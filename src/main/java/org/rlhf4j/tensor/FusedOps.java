package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;
import static org.rlhf4j.tensor.Autograd.record;

import org.rlhf4j.kernels.Unary;

/**
 * Ops with a hand-written backward pass over whole rows: softmax, log-softmax, cross-entropy, layer
 * norm, embedding. Each is tested against finite differences and against the same maths composed
 * from primitive ops. Derivations: docs/engine-tensor.md and docs/derivations/layernorm.md.
 */
final class FusedOps {

    private FusedOps() {
    }

    /** Rows of the last axis: (rows, cols) with cols = dim(-1). */
    private static int rows(Tensor x, String op) {
        if (x.rank() == 0) {
            throw new ShapeMismatchException(op, x.shape, "has no last axis");
        }
        int cols = x.dim(-1);
        return cols == 0 ? 0 : x.size() / cols;
    }

    /**
     * {@code y_j = e^(x_j - m) / sum_k e^(x_k - m)}, m the row max (so e^ never overflows).
     * Backward (Jacobian {@code dy_j/dx_i = y_j (δ_ij - y_i)}): {@code dx_i += y_i (dy_i - sum_j dy_j y_j)}.
     * A row that is all -inf (fully masked) gives NaN: the kernels compute e^(-inf - (-inf)).
     */
    static Tensor softmax(Tensor x) {
        int rows = rows(x, "softmax"), cols = x.dim(-1);
        Tensor out = Tensor.zeros(x.shape);
        k().softmaxForward(out.data, 0, x.data, x.offset, rows, cols);
        return record(Op.SOFTMAX, out, () ->
                k().softmaxBackward(x.gradBuffer(), 0, out.grad, 0, out.data, 0, rows, cols), x);
    }

    /**
     * Causally masked softmax over the last axis of x (..., T, L): row i of each (T, L) matrix is the
     * softmax of its first {@code min(L, offset + i + 1)} entries, the rest 0, which is
     * {@code x.maskedFill(mask, -inf).softmax()} with the mask 1 where key j > offset + i (Vaswani et al.
     * 2017, the decoder's masking), bit for bit, without the masked copy or its backward. Backward: the
     * softmax's, {@code dx_i += y_i (dy_i - sum_j dy_j y_j)}, which is 0 at the masked entries (y_i = 0).
     */
    static Tensor causalSoftmax(Tensor x, int offset) {
        if (x.rank() < 2) {
            throw new ShapeMismatchException("causalSoftmax", x.shape, "needs (..., T, L)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("causalSoftmax: offset must be >= 0, got " + offset);
        }
        int cols = x.dim(-1), rows = x.dim(-2), mats = cols == 0 || rows == 0 ? 0 : x.size() / (rows * cols);
        Tensor out = Tensor.zeros(x.shape);
        k().causalSoftmaxForward(out.data, 0, x.data, x.offset, mats, rows, cols, offset);
        return record(Op.CAUSAL_SOFTMAX, out, () ->
                k().softmaxBackward(x.gradBuffer(), 0, out.grad, 0, out.data, 0, mats * rows, cols), x);
    }

    /**
     * Causal multi-head self-attention (Vaswani et al. 2017, Eq. 1, with the decoder's mask) on qkv
     * (B, T, 3C), read as (B, T, 3, NH, HS): per batch row and head, {@code P = causalSoftmax(q k^T / sqrt(HS))}
     * and {@code y = P v}, the heads joined into (B, T, C). P (B, NH, T, T) is saved for the backward:
     * {@code dP = dy v^T}, {@code dv = P^T dy}, {@code dS = P (dP - rowsum(dP P))}, {@code dq = dS k / sqrt(HS)},
     * {@code dk = dS^T q / sqrt(HS)} (Kernels.attentionBackward).
     */
    static Tensor causalAttention(Tensor qkv, int heads) {
        if (qkv.rank() != 3) {
            throw new ShapeMismatchException("causalAttention", qkv.shape, "needs (B, T, 3C)");
        }
        if (heads <= 0 || qkv.dim(2) % (3 * heads) != 0) {
            throw new ShapeMismatchException("causalAttention", qkv.shape,
                    "the last axis (3C) must split into 3 x " + heads + " heads of equal size");
        }
        int B = qkv.dim(0), T = qkv.dim(1), C = qkv.dim(2) / 3, HS = C / heads;
        float scale = (float) (1.0 / Math.sqrt(HS));
        float[] probs = TensorLimits.floats("attention probabilities", B * heads, T, T); // (B, NH, T, T)
        Tensor out = Tensor.zeros(Shape.of(B, T, C));
        if (HS > 0) {
            k().attentionForward(out.data, 0, probs, 0, qkv.data, qkv.offset, B, T, heads, HS, scale);
        }
        return record(Op.CAUSAL_ATTENTION, out, () -> {
            if (HS > 0) {
                k().attentionBackward(qkv.gradBuffer(), 0, out.grad, 0, probs, 0, qkv.data, qkv.offset,
                        B, T, heads, HS, scale);
            }
        }, qkv);
    }

    /**
     * {@code y_j = x_j - logsumexp(x)}, with logsumexp = m + log sum_k e^(x_k - m).
     * Backward ({@code dy_j/dx_i = δ_ij - softmax(x)_i}): {@code dx_i += dy_i - e^(y_i) sum_j dy_j}.
     */
    static Tensor logSoftmax(Tensor x) {
        int rows = rows(x, "logSoftmax"), cols = x.dim(-1);
        Tensor out = Tensor.zeros(x.shape);
        k().logSoftmaxForward(out.data, 0, x.data, x.offset, rows, cols);
        return record(Op.LOG_SOFTMAX, out, () ->
                k().logSoftmaxBackward(x.gradBuffer(), 0, out.grad, 0, out.data, 0, rows, cols), x);
    }

    /**
     * Mean cross-entropy of logits (N, V) against {@code targets} (N):
     * {@code loss = (1/R) sum_{r not ignored} (logsumexp(x_r) - x_r[t_r])}, R the number of rows whose
     * target is not {@code ignoreIndex}. Backward: {@code dx_r[v] += (dloss/R) (softmax(x_r)[v] - [v == t_r])}
     * on rows that count, nothing on ignored rows. When every row is ignored (R = 0) the loss is 0
     * and every gradient 0, never NaN (PyTorch returns NaN there).
     */
    static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        if (logits.rank() != 2) {
            throw new ShapeMismatchException("crossEntropy", logits.shape, "must be (N, V)");
        }
        int N = logits.dim(0), V = logits.dim(1);
        int[] t = targets.clone();
        int R = countedRows("crossEntropy", logits.shape, t, N, ignoreIndex);
        float[] losses = new float[N], lse = new float[N]; // (N), (N): per-row loss and saved logsumexp
        k().crossEntropyForward(losses, 0, lse, 0, logits.data, logits.offset, t, 0, N, V, ignoreIndex);
        float[] total = new float[1];
        k().sumAxis(total, 0, losses, 0, 1, N, 1); // ignored rows hold 0
        Tensor out = Tensor.zeros(Shape.scalar());
        k().unary(Unary.SCALE, R > 0 ? 1f / R : 0f, 0f, out.data, 0, total, 0, 1); // the mean; 0 when R = 0
        return record(Op.CROSS_ENTROPY, out, () -> {
            float[] dlogits = logits.gradBuffer(); // allocated even when R = 0: the gradient is 0, not absent
            if (R == 0) {
                return;
            }
            float[] dlosses = new float[N];
            k().fill(dlosses, 0, out.grad[0] / R, N); // d mean / d losses[r] = 1/R
            k().crossEntropyBackward(dlogits, 0, dlosses, 0, logits.data, logits.offset, lse, 0,
                    t, 0, N, V, ignoreIndex);
        }, logits);
    }

    /**
     * The mean cross-entropy of the logits {@code x · w^T} against {@code targets}, without an (N, V) logits
     * tensor: x (N, C), w (V, C) (a tied head's token embedding), targets (N). The same value as
     * {@code x.matmul(w, false, true).crossEntropy(targets, ignoreIndex)}, and the same gradients for x and w,
     * but the kernels ({@link org.rlhf4j.kernels.Kernels#linearCrossEntropyForward}) hold the logits a chunk of
     * rows at a time: when one chunk (2^25 floats) covers every row the tape keeps those logits for the backward,
     * as the unfused pair does; beyond that it saves only x, w and one logsumexp per row and the backward
     * recomputes the logits chunk by chunk, where the unfused pair would keep N·V logits and make N·V gradients
     * (GPT-2, 4 x 1024 tokens: 823 MB each). A device family keeps its logits on the device and always recomputes.
     * Rows whose target is {@code ignoreIndex} count for nothing; when every row is ignored the loss is 0.
     */
    static Tensor linearCrossEntropy(Tensor x, Tensor w, int[] targets, int ignoreIndex) {
        return linearCrossEntropy(x, w, targets, ignoreIndex, -1, true);
    }

    /**
     * {@link #linearCrossEntropy(Tensor, Tensor, int[], int)} with {@code chunkRows} rows per chunk (-1: the kernels'
     * {@link org.rlhf4j.kernels.Kernels#linearCrossEntropyChunk}), and the logits offered to the kernels for the
     * backward only when {@code offer} (and one chunk covers the rows): the tests run the recomputing path with it.
     */
    static Tensor linearCrossEntropy(Tensor x, Tensor w, int[] targets, int ignoreIndex, int chunkRows, boolean offer) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new ShapeMismatchException("linearCrossEntropy", x.shape, w.shape, "x must be (N, C) and w (V, C)");
        }
        int N = x.dim(0), C = x.dim(1), V = w.dim(0);
        int[] t = targets.clone();
        int R = countedRows("linearCrossEntropy", x.shape, t, N, ignoreIndex);
        int chunk = chunkRows > 0 ? chunkRows : org.rlhf4j.kernels.Kernels.linearCrossEntropyChunk(N, V);
        float[] losses = new float[N], lse = new float[N];
        // logits that fit one chunk are kept for the backward (no recomputation) where the family keeps them on the host
        float[] offered = offer && chunk >= N && N > 0 && k().keepsLinearCrossEntropyLogits()
                ? TensorLimits.floats("linearCrossEntropy logits", N, V) : null;
        boolean kept = k().linearCrossEntropyForward(losses, 0, lse, 0, x.data, x.offset, w.data, w.offset, t, 0, N, C,
                V, ignoreIndex, chunk, offered);
        float[] saved = kept ? offered : null;
        float[] total = new float[1];
        k().sumAxis(total, 0, losses, 0, 1, N, 1); // ignored rows hold 0
        Tensor out = Tensor.zeros(Shape.scalar());
        k().unary(Unary.SCALE, R > 0 ? 1f / R : 0f, 0f, out.data, 0, total, 0, 1);
        return record(Op.LINEAR_CROSS_ENTROPY, out, () -> {
            float[] dx = x.requiresGrad ? x.gradBuffer() : null; // a frozen input's product is skipped
            float[] dw = w.requiresGrad ? w.gradBuffer() : null;
            if (R == 0) {
                return;
            }
            float[] dlosses = new float[N];
            k().fill(dlosses, 0, out.grad[0] / R, N); // d mean / d losses[r] = 1/R
            k().linearCrossEntropyBackward(dx, 0, dw, 0, dlosses, 0, x.data, x.offset, w.data, w.offset, lse, 0,
                    t, 0, N, C, V, ignoreIndex, chunk, saved);
        }, x, w);
    }

    /** R, the rows whose target is not ignoreIndex, once there is one target per row (else the error names both). */
    private static int countedRows(String op, Shape shape, int[] targets, int N, int ignoreIndex) {
        if (targets.length != N) {
            throw new ShapeMismatchException(op, shape, Shape.of(targets.length),
                    "one target per row: N = " + N + " != " + targets.length);
        }
        int counted = 0;
        for (int target : targets) {
            counted += target == ignoreIndex ? 0 : 1;
        }
        return counted;
    }

    /**
     * Layer norm over the last axis (Ba, Kiros and Hinton 2016), x viewed as (N, C):
     * {@code xhat = (x - mean) * rstd}, {@code rstd = 1/sqrt(var + eps)} (biased variance),
     * {@code y = xhat * weight + bias}. Backward (docs/derivations/layernorm.md):
     * {@code dbias += sum_n dy}, {@code dweight += sum_n dy xhat},
     * {@code dx = rstd (g - mean(g) - xhat mean(g xhat))} with {@code g = dy * weight}.
     */
    static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        if (x.rank() == 0 || x.dim(-1) == 0) {
            throw new ShapeMismatchException("layerNorm", x.shape, "needs a last axis of size >= 1");
        }
        int C = x.dim(-1), N = x.size() / C;
        if (!weight.shape.equals(Shape.of(C))) {
            throw new ShapeMismatchException("layerNorm", x.shape, weight.shape, "weight must be [" + C + "]");
        }
        if (!bias.shape.equals(Shape.of(C))) {
            throw new ShapeMismatchException("layerNorm", x.shape, bias.shape, "bias must be [" + C + "]");
        }
        float[] mean = new float[N], rstd = new float[N]; // (N), (N): saved for the backward pass
        Tensor out = Tensor.zeros(x.shape); // (..., C)
        k().layerNormForward(out.data, 0, mean, 0, rstd, 0, x.data, x.offset, weight.data, weight.offset,
                bias.data, bias.offset, N, C, eps);
        return record(Op.LAYER_NORM, out, () -> {
            // the kernel writes all three gradients; one not wanted goes to a scratch array
            float[] dx = x.requiresGrad ? x.gradBuffer() : new float[N * C];
            float[] dw = weight.requiresGrad ? weight.gradBuffer() : new float[C];
            float[] db = bias.requiresGrad ? bias.gradBuffer() : new float[C];
            k().layerNormBackward(dx, 0, dw, 0, db, 0, out.grad, 0, x.data, x.offset, weight.data, weight.offset,
                    mean, 0, rstd, 0, N, C);
        }, x, weight, bias);
    }

    /**
     * {@code out[n,:] = table[ids[n],:]} for a table (V, C), laid out as (idsDims..., C).
     * Backward, a scatter-add: {@code dtable[ids[n],:] += dout[n,:]} (a repeated id gets the sum).
     */
    static Tensor embedding(Tensor table, int[] ids, int... idsDims) {
        if (table.rank() != 2) {
            throw new ShapeMismatchException("embedding", table.shape, "must be a (V, C) table");
        }
        Shape idsShape = Shape.of(idsDims);
        if (idsShape.size() != ids.length) {
            throw new ShapeMismatchException("embedding", Shape.of(ids.length), idsShape,
                    ids.length + " ids cannot be laid out as " + idsShape);
        }
        int V = table.dim(0), C = table.dim(1), N = ids.length;
        int[] outDims = java.util.Arrays.copyOf(idsDims, idsDims.length + 1);
        outDims[idsDims.length] = C;
        int[] id = ids.clone();
        Tensor out = Tensor.zeros(outDims); // (idsDims..., C)
        k().embeddingForward(out.data, 0, table.data, table.offset, id, 0, N, V, C);
        return record(Op.EMBEDDING, out, () ->
                k().embeddingBackward(table.gradBuffer(), 0, out.grad, 0, id, 0, N, V, C), table);
    }
}
