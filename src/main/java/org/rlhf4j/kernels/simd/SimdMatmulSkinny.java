package org.rlhf4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rlhf4j.kernels.Parallel;

/**
 * Products with fewer rows than a register tile (M &lt; MR): the shape of a KV-cache decoding step, one
 * token times a weight matrix. Packing B would read and write every weight to use it once or twice, so
 * B is streamed instead, and each output element is the same chain of fused multiply-adds over k in
 * increasing order (from the old C or 0) as in the blocked path, so both paths give the same bits.
 * B stored (K, N) ({@link #matmul}): lanes run along a row of B. B stored (N, K) and read transposed
 * ({@link #matmulTransB}, the LM head tied to the token embedding, (V, C)): eight rows of B at a time,
 * their eight chains side by side in scalar registers.
 */
final class SimdMatmulSkinny {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per pass over k: four vectors in flight hide the fma latency. */
    private static final int COLS = 4 * L;
    /** Rows of B per block of {@link #matmulTransB}: eight chains in flight hide the fma latency. */
    private static final int ROWS_T = 8;
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

    /**
     * out (M,N) (+)= op(A) (M,K) · Bᵀ with B stored (N, K): c(i, j) = fma chain over k of a(i,k) * b[j, k].
     * Columns of C go in blocks of ROWS_T rows of B, each row read once from memory and reused from L1 by
     * the M rows of A. Within a block the ROWS_T chains advance together in scalar registers: lanes cannot
     * carry them, since the elements of one step of k lie K floats apart, and a dot product along k would sum
     * in another order than the blocked path. For GPT-2's LM head (1 x 768 times (50257 x 768)ᵀ) this reads
     * 12 GB/s of weights on one core and 24 on two, where a gather per step of k read 7 and 13.5 and the
     * blocked path, which packs all of B first, about a third of that (docs/benchmarks.md).
     */
    static void matmulTransB(Parallel parallel, float[] out, int oo, float[] a, int ao, float[] b, int bo,
                             int M, int K, int N, boolean transA, boolean accumulate) {
        int ak = transA ? M : 1, am = transA ? 1 : K;  // op(A)(i,k) = a[ao + i*am + k*ak]
        int blocks = (N + ROWS_T - 1) / ROWS_T;
        int grain = (int) Math.max(1, GRAIN / Math.max(1, (long) M * K * ROWS_T));
        parallel.forRange(blocks, grain, (f, t) -> {
            for (int blk = f; blk < t; blk++) {
                int j0 = blk * ROWS_T, j1 = Math.min(N, j0 + ROWS_T);
                for (int i = 0; i < M; i++) {
                    int ai = ao + i * am, ci = oo + i * N;
                    if (j1 - j0 == ROWS_T) {
                        blockTransB(out, ci + j0, a, ai, ak, b, bo + j0 * K, K, accumulate);
                    } else {
                        tailTransB(out, ci, a, ai, ak, b, bo, K, j0, j1, accumulate);
                    }
                }
            }
        });
    }

    /** Eight elements of C, c[co + r] for rows r = 0..7 of B from b[bo] on: eight chains side by side. */
    private static void blockTransB(float[] c, int co, float[] a, int ai, int ak, float[] b, int bo, int K,
                                    boolean accumulate) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        if (accumulate) {
            s0 = c[co];
            s1 = c[co + 1];
            s2 = c[co + 2];
            s3 = c[co + 3];
            s4 = c[co + 4];
            s5 = c[co + 5];
            s6 = c[co + 6];
            s7 = c[co + 7];
        }
        int r0 = bo, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K, r4 = r3 + K, r5 = r4 + K, r6 = r5 + K, r7 = r6 + K;
        for (int k = 0; k < K; k++) {
            float x = a[ai + k * ak];
            s0 = Math.fma(x, b[r0 + k], s0);
            s1 = Math.fma(x, b[r1 + k], s1);
            s2 = Math.fma(x, b[r2 + k], s2);
            s3 = Math.fma(x, b[r3 + k], s3);
            s4 = Math.fma(x, b[r4 + k], s4);
            s5 = Math.fma(x, b[r5 + k], s5);
            s6 = Math.fma(x, b[r6 + k], s6);
            s7 = Math.fma(x, b[r7 + k], s7);
        }
        c[co] = s0;
        c[co + 1] = s1;
        c[co + 2] = s2;
        c[co + 3] = s3;
        c[co + 4] = s4;
        c[co + 5] = s5;
        c[co + 6] = s6;
        c[co + 7] = s7;
    }

    /** The last, narrower block of {@link #matmulTransB}: one element at a time, the same chain. */
    private static void tailTransB(float[] c, int ci, float[] a, int ai, int ak, float[] b, int bo, int K,
                                   int j0, int j1, boolean accumulate) {
        for (int j = j0; j < j1; j++) {
            float s = accumulate ? c[ci + j] : 0f;
            int bj = bo + j * K;
            for (int k = 0; k < K; k++) {
                s = Math.fma(a[ai + k * ak], b[bj + k], s);
            }
            c[ci + j] = s;
        }
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
