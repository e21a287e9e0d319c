package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;
import static org.rlhf4j.tensor.Autograd.record;

/**
 * Matrix product {@code C = op(A) · op(B)}, where op transposes the last two axes when its flag is
 * set (the kernels read the transposed layout directly: no copy). Shapes: A (..., M, K) or
 * (..., K, M) when transposed; B (K, N) or (N, K), either 2-D (shared by every batch, the kernel's
 * {@code shareB}) or with exactly A's batch dimensions.
 */
final class MatmulOps {

    private MatmulOps() {
    }

    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new ShapeMismatchException("matmul", a.shape, b.shape, "both operands need rank >= 2");
        }
        int M = a.dim(transA ? -1 : -2), Ka = a.dim(transA ? -2 : -1);
        int Kb = b.dim(transB ? -1 : -2), N = b.dim(transB ? -2 : -1);
        if (Ka != Kb) {
            throw new ShapeMismatchException("matmul", a.shape, b.shape, "inner dims " + Ka + " != " + Kb);
        }
        int K = Ka;
        boolean shareB = b.rank() == 2;
        int[] batchDims = java.util.Arrays.copyOf(a.dims(), a.rank() - 2);
        if (!shareB && !java.util.Arrays.equals(batchDims, java.util.Arrays.copyOf(b.dims(), b.rank() - 2))) {
            throw new ShapeMismatchException("matmul", a.shape, b.shape, "batch dims differ; B must be 2-D or"
                    + " have A's batch dims");
        }
        int batch = a.shape.sizeBetween(0, a.rank() - 2);
        int[] outDims = java.util.Arrays.copyOf(batchDims, batchDims.length + 2);
        outDims[batchDims.length] = M;
        outDims[batchDims.length + 1] = N;
        Tensor out = Tensor.zeros(outDims); // (..., M, N)
        k().matmul(out.data, 0, a.data, a.offset, b.data, b.offset, batch, M, K, N, transA, transB, shareB, false);
        // C = op(A) op(B)  =>  d op(A) = dC · op(B)^T,  d op(B) = op(A)^T · dC   (plain: dA = dC·B^T, dB = A^T·dC)
        return record(Op.MATMUL, out, () -> {
            float[] dC = out.grad; // (batch, M, N)
            if (a.requiresGrad) {
                float[] dA = a.gradBuffer();
                if (!transA) {
                    // dA (M,K) = dC (M,N) · op(B)^T (N,K); B stored (K,N) needs the transpose flag, (N,K) does not
                    k().matmul(dA, 0, dC, 0, b.data, b.offset, batch, M, N, K, false, !transB, shareB, true);
                } else {
                    // A stored (K,M): dA = (dC · op(B)^T)^T = op(B) (K,N) · dC^T (N,M); B is now the left operand,
                    // so a shared B is handled one batch at a time
                    for (int[] s : steps(batch, !shareB)) {
                        int bOff = b.offset + (shareB ? 0 : s[0] * K * N);
                        k().matmul(dA, s[0] * K * M, b.data, bOff, dC, s[0] * M * N, s[1], K, N, M, transB, true,
                                false, true);
                    }
                }
            }
            if (b.requiresGrad) {
                float[] dB = b.gradBuffer();
                if (shareB && !transA) {
                    // B shared: dB = sum_b op(A_b)^T dC_b = op(A as (batch*M, K))^T · dC as (batch*M, N)
                    if (!transB) {
                        k().matmul(dB, 0, a.data, a.offset, dC, 0, 1, K, batch * M, N, true, false, false, true);
                    } else {
                        k().matmul(dB, 0, dC, 0, a.data, a.offset, 1, N, batch * M, K, true, false, false, true);
                    }
                } else {
                    for (int[] s : steps(batch, !shareB)) {
                        int aOff = a.offset + s[0] * M * K, cOff = s[0] * M * N; // dB: from 0 (together, or shared)
                        if (!transB) {
                            // dB (K,N) = op(A)^T (K,M) · dC (M,N)
                            k().matmul(dB, 0, a.data, aOff, dC, cOff, s[1], K, M, N, !transA, false, false, true);
                        } else {
                            // B stored (N,K): dB = dC^T (N,M) · op(A) (M,K)
                            k().matmul(dB, 0, dC, cOff, a.data, aOff, s[1], N, M, K, true, transA, false, true);
                        }
                    }
                }
            }
        }, a, b);
    }

    /**
     * The kernel calls that cover {@code batch} matrices: one call of {@code batch} when
     * {@code together}, else one call per matrix (when a shared B is not the kernel's right operand,
     * or a shared B's gradient must sum over the batch). Each step is {first matrix, count}.
     */
    private static int[][] steps(int batch, boolean together) {
        if (together) {
            return new int[][] {{0, batch}};
        }
        int[][] s = new int[batch][];
        for (int i = 0; i < batch; i++) {
            s[i] = new int[] {i, 1};
        }
        return s;
    }
}
