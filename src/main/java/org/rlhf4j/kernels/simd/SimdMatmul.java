package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.SimdMatmulKernel.MR;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.NR;

import org.rlhf4j.kernels.Parallel;

/**
 * Matrix multiply on the Vector API, blocked for the caches as in GotoBLAS and BLIS (K. Goto and
 * R. van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008;
 * F. Van Zee and R. van de Geijn, "BLIS", ACM TOMS 41(3), 2015). Five loops around a micro-kernel:
 *
 * <pre>
 *   for jc in N step NC              5. a block of NC columns of C and B
 *     for pc in K step KC            4. pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels (lives in L3)
 *       for ic in M step MC          3. pack A[ic:ic+MC, pc:pc+KC] into MR-tall panels (lives in L2)
 *         for jr in NC step NR       2. one packed B micro-panel, KC x NR (lives in L1)
 *           for ir in MC step MR     1. one packed A micro-panel, MR x KC
 *             C[ir:ir+MR, jr:jr+NR] += A_panel · B_panel      the micro-kernel, in registers
 * </pre>
 *
 * Threads: loop 4's packing is split over B's column panels, and loop 3 over A's row panels
 * ({@link Parallel#forRange}); each output element is written by one thread only. Every element is
 * one chain of fused multiply-adds over k in increasing order (see {@link SimdMatmulKernel}), so the
 * result is bit-identical whatever the thread count and the block sizes.
 */
final class SimdMatmul {

    /** Depth of a K block: a KC x NR micro-panel of B (48 KiB at KC = 384) stays in L1. */
    static final int KC = Integer.getInteger("rlhf4j.matmul.kc", 384);
    /** Rows of an A block (a multiple of MR): MC x KC floats (216 KiB) stay in L2. */
    static final int MC = Integer.getInteger("rlhf4j.matmul.mc", 144) / MR * MR;
    /** Most floats of packed B (16 MiB): the columns of a B block, NC, are as many as fit with all of K. */
    static final int B_PACK_MAX = Integer.getInteger("rlhf4j.matmul.bmax", 1 << 22);
    /** Below this many multiply-adds, the packing costs more than it saves. */
    private static final long SMALL = 1 << 15;
    /** Fewest multiply-adds worth handing to another thread. */
    private static final long GRAIN = 1 << 19;

    /** Per-thread buffers: a packed A block and an edge tile; at most MC*KC + MR*NR floats each. */
    private static final ThreadLocal<float[][]> A_BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[MC * KC], new float[MR * NR]});
    /** The calling thread's packed B block, grown on demand up to B_PACK_MAX floats. */
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
        for (int bt = 0; bt < batch; bt++) {
            int ao = aOff + bt * M * K, bo = bOff + (shareB ? 0 : bt * K * N), oo = outOff + bt * M * N;
            if (K == 0) {
                if (!accumulate) {
                    java.util.Arrays.fill(out, oo, oo + M * N, 0f);
                }
            } else if ((long) M * N * K < SMALL) {
                small(out, oo, a, ao, b, bo, M, K, N, transA, transB, accumulate);
            } else {
                blocked(parallel, out, oo, a, ao, b, bo, M, K, N, transA, transB, accumulate);
            }
        }
    }

    /** One product, no batch: loops 5 to 3 of the class comment. */
    private static void blocked(Parallel parallel, float[] out, int oo, float[] a, int ao, float[] b, int bo,
                                int M, int K, int N, boolean transA, boolean transB, boolean accumulate) {
        int mPanels = (M + MR - 1) / MR;
        // B is packed for all of K at once, in KC-deep slices, so that each column block costs two
        // synchronisations (pack, multiply) rather than two per K block.
        int ncMax = Math.max(NR, Math.min(roundUp(N, NR), B_PACK_MAX / K / NR * NR));
        float[] bPack = bBuffer(K * ncMax);
        for (int jc = 0; jc < N; jc += ncMax) {
            int nc = Math.min(ncMax, N - jc), nPanels = (nc + NR - 1) / NR, j0 = jc;
            // 5. pack B[0:K, jc:jc+nc], split over its column panels; slice pc starts at pc * nPanels*NR
            parallel.forRange(nPanels, grain(2L * K * NR), (q0, q1) -> {
                for (int pc = 0; pc < K; pc += KC) {
                    SimdMatmulPack.packB(bPack, pc * nPanels * NR, b, bo, K, N, transB, j0, nc, pc,
                            Math.min(KC, K - pc), q0, q1);
                }
            });
            // 4-3. split A's row panels over the threads; each packs and multiplies its own A blocks
            parallel.forRange(mPanels, grain((long) MR * K * nc), (r0, r1) -> {
                float[][] buffers = A_BUFFERS.get();
                int iEnd = Math.min(r1 * MR, M);
                for (int pc = 0; pc < K; pc += KC) {
                    int kc = Math.min(KC, K - pc);
                    boolean load = accumulate || pc > 0; // the first K block starts from 0, the others add on
                    for (int ic = r0 * MR; ic < iEnd; ic += MC) {
                        int mc = Math.min(MC, iEnd - ic);
                        SimdMatmulPack.packA(buffers[0], a, ao, M, K, transA, ic, mc, pc, kc);
                        macroKernel(buffers[0], bPack, pc * nPanels * NR, mc, nc, kc, out, oo + ic * N + j0, N,
                                load, buffers[1]);
                    }
                }
            });
        }
    }

    /** Loops 2 and 1: the packed A block (mc x kc) times the packed B block (kc x nc) into C. */
    private static void macroKernel(float[] aPack, float[] bPack, int bOff, int mc, int nc, int kc,
                                    float[] c, int cOff, int ldc, boolean load, float[] scratch) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    SimdMatmulKernel.tile(kc, aPack, ir * kc, bPack, bOff + jr * kc, c, ci, ldc, load);
                } else {
                    SimdMatmulKernel.edgeTile(kc, aPack, ir * kc, bPack, bOff + jr * kc, c, ci, ldc, load, mr, nr, scratch);
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

    private static float[] bBuffer(int size) {
        float[][] holder = B_BUFFER.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }
}
