package org.rlhf4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rlhf4j.kernels.Parallel;

/**
 * Products with fewer rows than a register tile (M &lt; MR) and B stored (K, N): the shape of a
 * KV-cache decoding step, one token times a weight matrix. Packing B would read and write every
 * weight to use it once or twice, so B is streamed instead: lanes run along a row of B, and each
 * output element is the same chain of fused multiply-adds over k in increasing order (from the old
 * C or 0) as in the blocked path, so both paths give the same bits.
 */
final class SimdMatmulSkinny {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per pass over k: four vectors in flight hide the fma latency. */
    private static final int COLS = 4 * L;
    /** Fewest multiply-adds worth handing to another thread. */
    private static final long GRAIN = 1 << 18;

    private SimdMatmulSkinny() {
    }

    /** out (M,N) (+)= op(A) (M,K) · B (K,N), B row-major (not transposed). */
    static void matmul(Parallel parallel, float[] out, int oo, float[] a, int ao, float[] b, int bo,
                       int M, int K, int N, boolean transA, boolean accumulate) {
        int ak = transA ? M : 1, am = transA ? 1 : K;  // op(A)(i,k) = a[ao + i*am + k*ak]
        int blocks = (N + COLS - 1) / COLS;
        int grain = (int) Math.max(1, GRAIN / Math.max(1, (long) M * K * COLS));
        parallel.forRange(blocks, grain, (f, t) -> {
            for (int i = 0; i < M; i++) {
                int ai = ao + i * am, ci = oo + i * N;
                for (int blk = f; blk < t; blk++) {
                    int j0 = blk * COLS, j1 = Math.min(N, j0 + COLS);
                    if (j1 - j0 == COLS) {
                        block(out, ci + j0, a, ai, ak, b, bo + j0, K, N, accumulate);
                    } else {
                        tail(out, ci, a, ai, ak, b, bo, K, N, j0, j1, accumulate);
                    }
                }
            }
        });
    }

    /** Four vectors of C: c[j] = fma chain over k of a(i,k) * b[k, j]. */
    private static void block(float[] c, int co, float[] a, int ai, int ak, float[] b, int bo, int K, int N,
                              boolean accumulate) {
        FloatVector c0, c1, c2, c3;
        if (accumulate) {
            c0 = FloatVector.fromArray(S, c, co);
            c1 = FloatVector.fromArray(S, c, co + L);
            c2 = FloatVector.fromArray(S, c, co + 2 * L);
            c3 = FloatVector.fromArray(S, c, co + 3 * L);
        } else {
            c0 = c1 = c2 = c3 = FloatVector.zero(S);
        }
        for (int k = 0; k < K; k++) {
            FloatVector ak0 = FloatVector.broadcast(S, a[ai + k * ak]);
            int r = bo + k * N;
            c0 = ak0.fma(FloatVector.fromArray(S, b, r), c0);
            c1 = ak0.fma(FloatVector.fromArray(S, b, r + L), c1);
            c2 = ak0.fma(FloatVector.fromArray(S, b, r + 2 * L), c2);
            c3 = ak0.fma(FloatVector.fromArray(S, b, r + 3 * L), c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + L);
        c2.intoArray(c, co + 2 * L);
        c3.intoArray(c, co + 3 * L);
    }

    /** The last, narrower block: one element at a time, the same chain. */
    private static void tail(float[] c, int ci, float[] a, int ai, int ak, float[] b, int bo, int K, int N,
                             int j0, int j1, boolean accumulate) {
        for (int j = j0; j < j1; j++) {
            float s = accumulate ? c[ci + j] : 0f;
            for (int k = 0; k < K; k++) {
                s = Math.fma(a[ai + k * ak], b[bo + k * N + j], s);
            }
            c[ci + j] = s;
        }
    }
}
