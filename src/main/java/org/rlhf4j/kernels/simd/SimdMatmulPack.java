package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.SimdMatmulKernel.L;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.MR;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.NR;
import static org.rlhf4j.kernels.simd.SimdMatmulKernel.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

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
        for (int q = 0; q * MR < mc; q++) {
            int base = q * MR * kc, rows = Math.min(MR, mc - q * MR), i1 = i0 + q * MR;
            if (rows < MR) {
                Arrays.fill(dst, base, base + MR * kc, 0f);
            }
            if (transA) {
                // (K,M) storage: the MR values of one k are contiguous
                for (int k = 0; k < kc; k++) {
                    System.arraycopy(a, ao + (p0 + k) * M + i1, dst, base + k * MR, rows);
                }
            } else {
                // (M,K) storage: read each row forwards, write with stride MR
                for (int i = 0; i < rows; i++) {
                    int src = ao + (i1 + i) * K + p0, d = base + i;
                    for (int k = 0; k < kc; k++, d += MR) {
                        dst[d] = a[src + k];
                    }
                }
            }
        }
    }

    /**
     * Packs columns {@code [j0, j0+nc)} and rows {@code [p0, p0+kc)} of op(B) (K x N), for the column
     * panels {@code [q0, q1)} of this block: panel q holds
     * {@code dst[q*NR*kc + k*NR + j] = op(B)(p0 + k, j0 + q*NR + j)}. B is stored (K,N) at
     * {@code b[bo + k*N + j]}, or (N,K) at {@code b[bo + j*K + k]} when transposed.
     */
    static void packB(float[] dst, float[] b, int bo, int K, int N, boolean transB,
                      int j0, int nc, int p0, int kc, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            int base = q * NR * kc, cols = Math.min(NR, nc - q * NR), j1 = j0 + q * NR;
            if (transB) {
                if (cols < NR) {
                    Arrays.fill(dst, base, base + NR * kc, 0f);
                }
                // (N,K) storage: read each column of op(B) forwards, write with stride NR
                for (int j = 0; j < cols; j++) {
                    int src = bo + (j1 + j) * K + p0, d = base + j;
                    for (int k = 0; k < kc; k++, d += NR) {
                        dst[d] = b[src + k];
                    }
                }
            } else if (cols == NR) {
                // (K,N) storage, full panel: two vector copies per row
                for (int k = 0; k < kc; k++) {
                    int src = bo + (p0 + k) * N + j1, d = base + k * NR;
                    FloatVector.fromArray(S, b, src).intoArray(dst, d);
                    FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                }
            } else {
                for (int k = 0; k < kc; k++) {
                    int src = bo + (p0 + k) * N + j1, d = base + k * NR;
                    System.arraycopy(b, src, dst, d, cols);
                    Arrays.fill(dst, d + cols, d + NR, 0f);
                }
            }
        }
    }
}
