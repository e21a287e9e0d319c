package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.SimdMatmulKernel.MR;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.NR;

import java.util.Arrays;

/**
 * Packing: copies a block of op(A) or op(B) into the order the micro-kernel reads it (Goto and van
 * de Geijn 2008, section 5), so that the kernel streams through contiguous memory. Transposes are
 * absorbed here: whatever the storage, the packed layout is the same and every variant of the
 * product runs the same micro-kernel. Partial panels at the edges are padded with zeros.
 */
final class SimdMatmulPack {

    private SimdMatmulPack() {
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of op(A) (M x K) into
     * {@code ceil(mc/MR)} micro-panels: panel q holds {@code dst[q*MR*kc + k*MR + i] = op(A)(i0 + q*MR + i, p0 + k)}.
     * A is stored (M,K) at {@code a[ao + i*K + k]}, or (K,M) at {@code a[ao + k*M + i]} when transposed.
     */
    static void packA(float[] dst, float[] a, int ao, int M, int K, boolean transA,
                      int i0, int mc, int p0, int kc) {
        int panels = (mc + MR - 1) / MR, full = mc / MR;
        if (full < panels) {
            Arrays.fill(dst, full * MR * kc, panels * MR * kc, 0f); // zero rows below the edge
        }
        if (transA) {
            // (K,M) storage: walk each row k of the storage once; the MR values of a panel are contiguous
            for (int k = 0; k < kc; k++) {
                int src = ao + (p0 + k) * M + i0, d = k * MR;
                for (int q = 0; q < full; q++, src += MR, d += MR * kc) {
                    System.arraycopy(a, src, dst, d, MR);
                }
                if (full < panels) {
                    System.arraycopy(a, src, dst, d, mc - full * MR);
                }
            }
        } else {
            // (M,K) storage: the MR rows of a panel are read side by side, the values of one k written together
            for (int q = 0; q < panels; q++) {
                int rows = Math.min(MR, mc - q * MR), src = ao + (i0 + q * MR) * K + p0, d = q * MR * kc;
                if (rows == 8 && MR == 8) {
                    packEightRows(dst, d, a, src, K, kc);
                } else if (rows == 6 && MR == 6) {
                    packSixRows(dst, d, a, src, K, kc);
                } else {
                    for (int i = 0; i < rows; i++) {
                        for (int k = 0; k < kc; k++) {
                            dst[d + k * MR + i] = a[src + i * K + k];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dst[d0 + k*8 + i] = a[src + i*K + k]} for 8 rows: two values of k per step, the 16 loads
     * before the 16 stores, every index linear in k so that C2 hoists the bounds checks; about 1.5x
     * faster than one k per step.
     */
    private static void packEightRows(float[] dst, int d0, float[] a, int src, int K, int kc) {
        int r0 = src, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K, r4 = r3 + K, r5 = r4 + K, r6 = r5 + K, r7 = r6 + K;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            float x0 = a[r0 + k], y0 = a[r0 + k + 1], x1 = a[r1 + k], y1 = a[r1 + k + 1];
            float x2 = a[r2 + k], y2 = a[r2 + k + 1], x3 = a[r3 + k], y3 = a[r3 + k + 1];
            float x4 = a[r4 + k], y4 = a[r4 + k + 1], x5 = a[r5 + k], y5 = a[r5 + k + 1];
            float x6 = a[r6 + k], y6 = a[r6 + k + 1], x7 = a[r7 + k], y7 = a[r7 + k + 1];
            int d = d0 + 8 * k;
            dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3;
            dst[d + 4] = x4; dst[d + 5] = x5; dst[d + 6] = x6; dst[d + 7] = x7;
            dst[d + 8] = y0; dst[d + 9] = y1; dst[d + 10] = y2; dst[d + 11] = y3;
            dst[d + 12] = y4; dst[d + 13] = y5; dst[d + 14] = y6; dst[d + 15] = y7;
        }
        if (k < kc) {
            int d = d0 + 8 * k;
            dst[d] = a[r0 + k]; dst[d + 1] = a[r1 + k]; dst[d + 2] = a[r2 + k]; dst[d + 3] = a[r3 + k];
            dst[d + 4] = a[r4 + k]; dst[d + 5] = a[r5 + k]; dst[d + 6] = a[r6 + k]; dst[d + 7] = a[r7 + k];
        }
    }

    /** {@code dst[d0 + k*6 + i] = a[src + i*K + k]} for 6 rows, as {@link #packEightRows}. */
    private static void packSixRows(float[] dst, int d0, float[] a, int src, int K, int kc) {
        int r0 = src, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K, r4 = r3 + K, r5 = r4 + K;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            float x0 = a[r0 + k], y0 = a[r0 + k + 1], x1 = a[r1 + k], y1 = a[r1 + k + 1];
            float x2 = a[r2 + k], y2 = a[r2 + k + 1], x3 = a[r3 + k], y3 = a[r3 + k + 1];
            float x4 = a[r4 + k], y4 = a[r4 + k + 1], x5 = a[r5 + k], y5 = a[r5 + k + 1];
            int d = d0 + 6 * k;
            dst[d] = x0; dst[d + 1] = x1; dst[d + 2] = x2; dst[d + 3] = x3; dst[d + 4] = x4; dst[d + 5] = x5;
            dst[d + 6] = y0; dst[d + 7] = y1; dst[d + 8] = y2; dst[d + 9] = y3; dst[d + 10] = y4; dst[d + 11] = y5;
        }
        if (k < kc) {
            int d = d0 + 6 * k;
            dst[d] = a[r0 + k]; dst[d + 1] = a[r1 + k]; dst[d + 2] = a[r2 + k];
            dst[d + 3] = a[r3 + k]; dst[d + 4] = a[r4 + k]; dst[d + 5] = a[r5 + k];
        }
    }

    /**
     * Packs columns {@code [j0, j0+nc)} and rows {@code [p0, p0+kc)} of op(B) (K x N), for the column
     * panels {@code [q0, q1)} of this block: panel q holds
     * {@code dst[dOff + q*NR*kc + k*NR + j] = op(B)(p0 + k, j0 + q*NR + j)}. B is stored (K,N) at
     * {@code b[bo + k*N + j]}, or (N,K) at {@code b[bo + j*K + k]} when transposed.
     */
    static void packB(float[] dst, int dOff, float[] b, int bo, int K, int N, boolean transB,
                      int j0, int nc, int p0, int kc, int q0, int q1) {
        int full = Math.min(q1, nc / NR); // panels [q0, full) are NR wide, [full, q1) is the edge
        if (transB) {
            // (N,K) storage: read each column of op(B) forwards, write with stride NR
            for (int q = q0; q < q1; q++) {
                int base = dOff + q * NR * kc, cols = Math.min(NR, nc - q * NR);
                if (cols < NR) {
                    Arrays.fill(dst, base, base + NR * kc, 0f);
                }
                for (int j = 0; j < cols; j++) {
                    int src = bo + (j0 + q * NR + j) * K + p0, d = base + j;
                    for (int k = 0; k < kc; k++, d += NR) {
                        dst[d] = b[src + k];
                    }
                }
            }
            return;
        }
        // (K,N) storage: walk each row k of the storage once (one page at a time, not one per panel)
        for (int k = 0; k < kc; k++) {
            int src = bo + (p0 + k) * N + j0 + q0 * NR, d = dOff + q0 * NR * kc + k * NR;
            for (int q = q0; q < full; q++, src += NR, d += NR * kc) {
                System.arraycopy(b, src, dst, d, NR);
            }
            if (full < q1) {
                int cols = nc - full * NR;
                System.arraycopy(b, src, dst, d, cols);
                Arrays.fill(dst, d + cols, d + NR, 0f);
            }
        }
    }
}
