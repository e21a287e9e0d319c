package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.SimdMatmulKernel.MR;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.NR;

import java.util.Arrays;
import org.rlhf4j.kernels.Parallel;

/**
 * Matrix multiply on the Vector API, blocked for the caches as in GotoBLAS and BLIS (K. Goto and
 * R. van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008;
 * F. Van Zee and R. van de Geijn, "BLIS", ACM TOMS 41(3), 2015). Loops around a micro-kernel:
 *
 * <pre>
 *   for jc in N step NC                5. a block of NC columns of B and C
 *     pack B[:, jc:jc+NC]              5'. into KC-deep slices of NR-wide micro-panels (L3)
 *     for pc in K step KC              4. one slice of B, KC x NC (packed here when B is large)
 *       for ic in M step MC            3. pack A[ic:ic+MC, pc:pc+KC] into MR-tall micro-panels (L2)
 *         for jr in NC step NR         2. one B micro-panel, KC x NR (L1 / L2)
 *           for ir in MC step MR       1. one A micro-panel, MR x KC
 *             C[ir:ir+MR, jr:jr+NR] += A_panel · B_panel      the micro-kernel, in registers
 * </pre>
 *
 * Transposes are absorbed by the packing ({@link SimdMatmulPack}), so every variant runs the same
 * micro-kernel. B is packed for all of K before the multiply, so that a product costs two
 * synchronisations (pack, multiply), not two per K block; only when B exceeds 8 MiB and a K block
 * is a lot of work (2048^3) is it packed one K block at a time, so that the packed slice is reused
 * from cache rather than written to memory.
 *
 * <p>Threads ({@link Parallel#forRange}): B's packing is split over its column panels; the multiply
 * over A's row panels (or over B's column panels when C has few rows), so each output element is
 * written by one thread. Every element is one chain of fused multiply-adds over k in increasing
 * order (see {@link SimdMatmulKernel}), so the result is bit-identical whatever the thread count and
 * the block sizes; tiny products take a plain loop that computes the same chain.
 */
final class SimdMatmul {

    /**
     * Deepest K block. K is cut into equal blocks of at most KC: deep blocks mean fewer passes of
     * loads and stores over C; a KC x NR micro-panel of B (128 KiB) then streams from L2.
     */
    static final int KC = 1024;
    /** Rows of an A block (a multiple of MR: 64 or 48): MC x KC floats (256 or 192 KiB) stay in L2. */
    static final int MC = 8 * MR;
    /** Most floats of packed B (16 MiB): NC is as many columns as fit with the rows packed together. */
    static final int B_PACK_MAX = 1 << 22;
    /** Largest B (in floats, 8 MiB) always packed for all of K at once. */
    static final int WHOLE_K_MAX = 1 << 21;
    /** Fewest multiply-adds per K block (about 4 ms on 2 threads) for which a larger B is packed per K block. */
    static final long SLICE_MIN_WORK = 1L << 30;
    /** Below this many multiply-adds, packing costs more than it saves. */
    private static final long SMALL = 1 << 15;
    /** Batched products up to this many multiply-adds each are spread over threads one product at a time. */
    private static final long BATCH_SPLIT_MAX = 1L << 22;
    /** Fewest multiply-adds worth handing to another thread. */
    private static final long GRAIN = 1 << 19;
    /** Fewest floats of B worth packing on another thread (packing costs ~100 multiply-adds a float). */
    private static final int PACK_GRAIN = 1 << 16;

    /** Per-thread buffers: a packed A block and an edge tile, MC*KC + MR*NR floats (about 258 KiB). */
    private static final ThreadLocal<float[][]> A_BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[MC * KC], new float[MR * NR]});
    /** The calling thread's packed B, grown on demand up to B_PACK_MAX floats. */
    private static final ThreadLocal<float[][]> B_BUFFER = ThreadLocal.withInitial(() -> new float[1][0]);

    private SimdMatmul() {
    }

    /** Same contract as {@link org.rlhf4j.kernels.Kernels#matmul}. */
    static void matmul(Parallel parallel, float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        if (batch <= 0 || M <= 0 || N <= 0) {
            return;
        }
        if (batch > 1 && (long) M * N * K <= BATCH_SPLIT_MAX) {
            // Many small products (attention's heads): one product per thread at a time. The nested
            // calls find the pool busy and run on their own thread, with the same result.
            parallel.forRange(batch, 1, (b0, b1) -> products(parallel, out, outOff, a, aOff, b, bOff, b0, b1,
                    M, K, N, transA, transB, shareB, accumulate));
        } else {
            products(parallel, out, outOff, a, aOff, b, bOff, 0, batch, M, K, N, transA, transB, shareB, accumulate);
        }
    }

    /** Products b0 .. b1-1 of the batch, one after the other. */
    private static void products(Parallel parallel, float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                                 int b0, int b1, int M, int K, int N, boolean transA, boolean transB,
                                 boolean shareB, boolean accumulate) {
        for (int bt = b0; bt < b1; bt++) {
            int ao = aOff + bt * M * K, bo = bOff + (shareB ? 0 : bt * K * N), oo = outOff + bt * M * N;
            if (K == 0) {
                if (!accumulate) {
                    Arrays.fill(out, oo, oo + M * N, 0f);
                }
            } else if ((long) M * N * K < SMALL) {
                small(out, oo, a, ao, b, bo, M, K, N, transA, transB, accumulate);
            } else if (M < MR && !transB) {
                SimdMatmulSkinny.matmul(parallel, out, oo, a, ao, b, bo, M, K, N, transA, accumulate);
            } else if (M < MR) {
                SimdMatmulSkinny.matmulTransB(parallel, out, oo, a, ao, b, bo, M, K, N, transA, accumulate);
            } else {
                blocked(parallel, out, oo, a, ao, b, bo, M, K, N, transA, transB, accumulate);
            }
        }
    }

    /** One product, no batch. */
    private static void blocked(Parallel parallel, float[] out, int oo, float[] a, int ao, float[] b, int bo,
                                int M, int K, int N, boolean transA, boolean transB, boolean accumulate) {
        int kBlocks = (K + KC - 1) / KC, kcFull = (K + kBlocks - 1) / kBlocks; // equal K blocks
        // Pack B for all of K at once (two synchronisations per column block) unless it is large and
        // each K block is enough work to hide two more; then one K block at a time, so that the packed
        // slice is reused from cache rather than written to memory and read back.
        boolean wholeK = (long) K * roundUp(N, NR) <= WHOLE_K_MAX || (long) M * kcFull * N < SLICE_MIN_WORK;
        int depth = wholeK ? K : kcFull;                      // rows of B packed together
        int ncMax = Math.max(NR, Math.min(roundUp(N, NR), B_PACK_MAX / depth / NR * NR));
        int mPanels = (M + MR - 1) / MR;
        float[] bPack = bBuffer(depth * ncMax);
        for (int jc = 0; jc < N; jc += ncMax) {
            int nc = Math.min(ncMax, N - jc), nPanels = (nc + NR - 1) / NR, j0 = jc;
            boolean byRows = mPanels >= 4 * parallel.threads() || mPanels >= nPanels;
            for (int g0 = 0; g0 < K; g0 += depth) {
                int g1 = Math.min(K, g0 + depth), gk = g1 - g0, first = g0;
                // 5'. pack B[g0:g1, jc:jc+nc]: the slice at pc starts at bPack[(pc - g0) * nPanels*NR]
                parallel.forRange(nPanels, Math.max(1, PACK_GRAIN / (gk * NR)), (q0, q1) -> {
                    for (int pc = first; pc < g1; pc += kcFull) {
                        SimdMatmulPack.packB(bPack, (pc - first) * nPanels * NR, b, bo, K, N, transB, j0, nc, pc,
                                Math.min(kcFull, K - pc), q0, q1);
                    }
                });
                // 4-1. split the rows of C over the threads, or its columns when there are few rows
                parallel.forRange(byRows ? mPanels : nPanels, grain((long) (byRows ? MR * nc : NR * M) * gk),
                        (f, t) -> {
                    int i0 = byRows ? f * MR : 0, i1 = byRows ? Math.min(t * MR, M) : M;
                    int jr0 = byRows ? 0 : f * NR, jr1 = byRows ? nc : Math.min(t * NR, nc);
                    float[][] buffers = A_BUFFERS.get();
                    for (int pc = first; pc < g1; pc += kcFull) {
                        int kc = Math.min(kcFull, K - pc);
                        boolean load = accumulate || pc > 0; // the first K block starts from 0, the others add on
                        for (int ic = i0; ic < i1; ic += MC) {
                            int mc = Math.min(MC, i1 - ic);
                            SimdMatmulPack.packA(buffers[0], a, ao, M, K, transA, ic, mc, pc, kc);
                            macroKernel(buffers[0], bPack, (pc - first) * nPanels * NR, mc, jr0, jr1, nc, kc,
                                    out, oo + ic * N + j0, N, load, buffers[1]);
                        }
                    }
                });
            }
        }
    }

    /** Loops 2 and 1: the packed A block (mc x kc) times columns [jr0, jr1) of the packed B slice into C. */
    private static void macroKernel(float[] aPack, float[] bPack, int bOff, int mc, int jr0, int jr1, int nc, int kc,
                                    float[] c, int cOff, int ldc, boolean load, float[] scratch) {
        for (int jr = jr0; jr < jr1; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    SimdMatmulKernel.tile(kc, aPack, ir * kc, bPack, bOff + jr * kc, c, ci, ldc, load);
                } else {
                    SimdMatmulKernel.edgeTile(kc, aPack, ir * kc, bPack, bOff + jr * kc, c, ci, ldc, load,
                            mr, nr, scratch);
                }
            }
        }
    }

    /**
     * Tiny products: the same chain of fused multiply-adds per element (k increasing, from the old
     * C or 0) as the blocked path, so both paths give the same bits.
     */
    private static void small(float[] out, int oo, float[] a, int ao, float[] b, int bo,
                              int M, int K, int N, boolean transA, boolean transB, boolean accumulate) {
        int ak = transA ? M : 1, am = transA ? 1 : K; // op(A)(i,k) = a[ao + i*am + k*ak]
        int bk = transB ? 1 : N, bn = transB ? K : 1; // op(B)(k,j) = b[bo + k*bk + j*bn]
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                int o = oo + i * N + j;
                float s = accumulate ? out[o] : 0f;
                for (int k = 0; k < K; k++) {
                    s = Math.fma(a[ao + i * am + k * ak], b[bo + k * bk + j * bn], s);
                }
                out[o] = s;
            }
        }
    }

    /** Items per thread so that each range gets at least GRAIN multiply-adds. */
    private static int grain(long workPerItem) {
        return (int) Math.max(1, GRAIN / Math.max(1, workPerItem));
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /** A buffer for packed B: the calling thread's cached one, or a fresh one beyond B_PACK_MAX (huge K). */
    private static float[] bBuffer(int size) {
        if (size > B_PACK_MAX) {
            return new float[size];
        }
        float[][] holder = B_BUFFER.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }
}
