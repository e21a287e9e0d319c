package org.rlhf4j.kernels.opencl;

/**
 * {@link MatmulKernel}'s product with 8 x 8 outputs per work item: a 16 x 16 work group computes a 128 x 128 block,
 * each item rows {@code ty + 16 r} and columns {@code tx + 16 c} (r, c < 8), so that every word read from local memory
 * feeds 4 multiply-adds instead of 2 (2-D register blocking, as in C. Nugteren's "OpenCL SGEMM tuning for Kepler",
 * 2014: 128 x 128 tiles, 8 x 8 per item, 16 x 16 work groups). The same slab loads (at a stride of
 * {@link #WIDE_STRIDE}), the same order of summation over k, and the same 3-D range with 16 items per 128 columns and
 * rows. A class of its own, so that its 64 accumulators and 16.6 KB of slabs are not in the default product's
 * program (a GPU compiler gives a kernel the registers of its largest path). Opt-in:
 * {@code -Drlhf4j.opencl.matmulBlock=128}, to be measured on a GPU.
 */
final class WideMatmulKernel extends MatmulKernel {

    /** Side of the block of out a work group computes. */
    static final int WIDE_BLOCK = 128;
    /** The slabs' stride: 130 = 2 mod 32, as 66 is (see {@link MatmulKernel#STRIDE}). */
    static final int WIDE_STRIDE = WIDE_BLOCK + 2;

    WideMatmulKernel() {
        super(DEPTH * WIDE_STRIDE);
    }

    @Override
    public void run() {
        int bt = getGlobalId(2);
        productWide(getGroupId(1) * WIDE_BLOCK, getGroupId(0) * WIDE_BLOCK, getLocalId(0), getLocalId(1), M, K, N,
                transA, transB, aOff + bt * M * K, bOff + (1 - shareB) * bt * K * N, outOff + bt * M * N);
    }

    /**
     * The WIDE_BLOCK x WIDE_BLOCK block of out at rows i0.., columns j0.., each item (tx, ty) computing rows
     * {@code ty + 16 r} and columns {@code tx + 16 c} (r, c < 8).
     */
    private void productWide(int i0, int j0, int tx, int ty, int m, int k, int n, int tA, int tB, int ao, int bo,
                             int ob) {
        int lid = ty * GROUP + tx;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c04 = 0f, c05 = 0f, c06 = 0f, c07 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f, c14 = 0f, c15 = 0f, c16 = 0f, c17 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c24 = 0f, c25 = 0f, c26 = 0f, c27 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f, c34 = 0f, c35 = 0f, c36 = 0f, c37 = 0f;
        float c40 = 0f, c41 = 0f, c42 = 0f, c43 = 0f, c44 = 0f, c45 = 0f, c46 = 0f, c47 = 0f;
        float c50 = 0f, c51 = 0f, c52 = 0f, c53 = 0f, c54 = 0f, c55 = 0f, c56 = 0f, c57 = 0f;
        float c60 = 0f, c61 = 0f, c62 = 0f, c63 = 0f, c64 = 0f, c65 = 0f, c66 = 0f, c67 = 0f;
        float c70 = 0f, c71 = 0f, c72 = 0f, c73 = 0f, c74 = 0f, c75 = 0f, c76 = 0f, c77 = 0f;
        for (int k0 = 0; k0 < k; k0 += DEPTH) {
            for (int l = lid; l < DEPTH * WIDE_BLOCK; l += GROUP * GROUP) {
                loadA(0, ao, i0, k0, l, m, k, tA, WIDE_BLOCK, WIDE_STRIDE);
                loadB(0, bo, j0, k0, l, k, n, tB, WIDE_BLOCK, WIDE_STRIDE);
            }
            localBarrier();
            for (int kk = 0; kk < DEPTH; kk++) {
                int ra = kk * WIDE_STRIDE + ty, rb = kk * WIDE_STRIDE + tx;
                float a0 = tileA[ra], a1 = tileA[ra + 16], a2 = tileA[ra + 32], a3 = tileA[ra + 48];
                float a4 = tileA[ra + 64], a5 = tileA[ra + 80], a6 = tileA[ra + 96], a7 = tileA[ra + 112];
                float b0 = tileB[rb], b1 = tileB[rb + 16], b2 = tileB[rb + 32], b3 = tileB[rb + 48];
                float b4 = tileB[rb + 64], b5 = tileB[rb + 80], b6 = tileB[rb + 96], b7 = tileB[rb + 112];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
                c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
                c40 += a4 * b0; c41 += a4 * b1; c42 += a4 * b2; c43 += a4 * b3;
                c44 += a4 * b4; c45 += a4 * b5; c46 += a4 * b6; c47 += a4 * b7;
                c50 += a5 * b0; c51 += a5 * b1; c52 += a5 * b2; c53 += a5 * b3;
                c54 += a5 * b4; c55 += a5 * b5; c56 += a5 * b6; c57 += a5 * b7;
                c60 += a6 * b0; c61 += a6 * b1; c62 += a6 * b2; c63 += a6 * b3;
                c64 += a6 * b4; c65 += a6 * b5; c66 += a6 * b6; c67 += a6 * b7;
                c70 += a7 * b0; c71 += a7 * b1; c72 += a7 * b2; c73 += a7 * b3;
                c74 += a7 * b4; c75 += a7 * b5; c76 += a7 * b6; c77 += a7 * b7;
            }
            localBarrier();
        }
        storeWide(ob, i0 + ty + 0, j0 + tx, m, n, c00, c01, c02, c03, c04, c05, c06, c07);
        storeWide(ob, i0 + ty + 16, j0 + tx, m, n, c10, c11, c12, c13, c14, c15, c16, c17);
        storeWide(ob, i0 + ty + 32, j0 + tx, m, n, c20, c21, c22, c23, c24, c25, c26, c27);
        storeWide(ob, i0 + ty + 48, j0 + tx, m, n, c30, c31, c32, c33, c34, c35, c36, c37);
        storeWide(ob, i0 + ty + 64, j0 + tx, m, n, c40, c41, c42, c43, c44, c45, c46, c47);
        storeWide(ob, i0 + ty + 80, j0 + tx, m, n, c50, c51, c52, c53, c54, c55, c56, c57);
        storeWide(ob, i0 + ty + 96, j0 + tx, m, n, c60, c61, c62, c63, c64, c65, c66, c67);
        storeWide(ob, i0 + ty + 112, j0 + tx, m, n, c70, c71, c72, c73, c74, c75, c76, c77);
    }

    /** Row i of out at columns j, j + 16, ..., j + 112, where they lie inside the (m, n) matrix. */
    private void storeWide(int ob, int i, int j, int m, int n, float v0, float v1, float v2, float v3, float v4,
                           float v5, float v6, float v7) {
        if (i < m) {
            storeOne(0, ob + i * n, j, n, v0);
            storeOne(0, ob + i * n, j + 16, n, v1);
            storeOne(0, ob + i * n, j + 32, n, v2);
            storeOne(0, ob + i * n, j + 48, n, v3);
            storeOne(0, ob + i * n, j + 64, n, v4);
            storeOne(0, ob + i * n, j + 80, n, v5);
            storeOne(0, ob + i * n, j + 96, n, v6);
            storeOne(0, ob + i * n, j + 112, n, v7);
        }
    }
}
