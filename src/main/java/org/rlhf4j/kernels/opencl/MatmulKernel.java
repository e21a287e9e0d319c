package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * {@code out[b] (M,N) = op(A[b]) · op(B[b])} (or {@code +=}), tiled through local memory and blocked
 * in registers. A work group of 16 x 16 items computes a 64 x 64 block of out, each item a 4 x 4
 * sub-block: rows {@code ty + 16 r} and columns {@code tx + 16 c} of the block (r, c < 4), so that
 * neighbouring items read neighbouring local-memory words and write neighbouring outputs. Each step
 * over k loads a 64 x 16 slab of op(A) and a 16 x 64 slab of op(B) into local memory (four elements
 * per item, each), waits at a barrier, and every item does 16 x 16 multiply-adds from registers.
 * The 3-D range is (16 per 64 columns, 16 per 64 rows, batch); items past the matrix load zeros and
 * write nothing. Each output sums k in increasing order, as the reference does (an OpenCL compiler
 * may contract {@code acc + a*b} into one fma).
 *
 * <p>Loads are coalesced for every transpose variant: the k-th item of the group loads the k-th
 * element of the slab in the order it is stored (A (M,K) row by row, A stored (K,M) column by
 * column of op(A), and so on), so neighbouring items read neighbouring addresses.
 *
 * The slabs are stored at a stride of {@link #STRIDE} words (see there). {@link WideMatmulKernel} runs the same
 * loads with 8 x 8 outputs per item.
 *
 * <p>Written for Aparapi: int fields instead of booleans, no objects, sixteen named accumulators
 * (no private arrays), no calls outside the kernel class. The operands are read through
 * {@link #elementA}, {@link #elementB} and written through {@link #storeOut}, which {@link HeadKernel}
 * overrides to run the same tiled product over its own arrays (Aparapi resolves the overrides and
 * generates one program per kernel class).
 */
class MatmulKernel extends Kernel {

    /** Side of the work group; each item computes 4 x 4 outputs, so a group covers BLOCK x BLOCK. */
    static final int GROUP = 16;
    /** Side of the block of out a work group computes. */
    static final int BLOCK = 64;
    /** Depth of one k-step (the slabs in local memory are BLOCK x DEPTH). */
    static final int DEPTH = 16;
    /**
     * Words from one k to the next in a slab: BLOCK + 2, not BLOCK. The slab of a row-major op(A) (or of a transposed
     * B) is filled with k varying fastest across neighbouring items, so a stride of 64 words would put the 32 stores
     * of a 32-wide warp into 2 of local memory's 32 banks (a 16-way conflict); at 66 they fall into 32 distinct banks
     * (2k + i mod 32 for k < 16, i < 2), and the reads (a broadcast, or 16 neighbouring words) stay conflict-free.
     */
    static final int STRIDE = BLOCK + 2;
    float[] out, a, b;
    int outOff, aOff, bOff, M, K, N, transA, transB, shareB, accumulate;

    @Local final float[] tileA; // [k][i] of op(A)'s slab
    @Local final float[] tileB; // [k][j] of op(B)'s slab

    MatmulKernel() {
        this(DEPTH * STRIDE);
    }

    /** With slabs of {@code slabWords} words each ({@link WideMatmulKernel}'s are larger). */
    MatmulKernel(int slabWords) {
        tileA = new float[slabWords];
        tileB = new float[slabWords];
    }

    @Override
    public void run() {
        int bt = getGlobalId(2);
        product(0, getGroupId(1) * BLOCK, getGroupId(0) * BLOCK, getLocalId(0), getLocalId(1), M, K, N, transA, transB,
                aOff + bt * M * K, bOff + (1 - shareB) * bt * K * N, outOff + bt * M * N);
    }

    /**
     * The BLOCK x BLOCK block of out at rows i0.., columns j0.. of one product op(A) (m, k) times op(B) (k, n), A
     * read from index ao, B from bo, out written from ob; computed by the GROUP x GROUP items (tx, ty) of one work
     * group, all of which must call it (it waits at barriers). {@code sel} is handed to the element accessors, so
     * that a subclass can run several products over different arrays in one launch.
     */
    final void product(int sel, int i0, int j0, int tx, int ty, int m, int k, int n, int tA, int tB, int ao, int bo,
                       int ob) {
        int lid = ty * GROUP + tx;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int k0 = 0; k0 < k; k0 += DEPTH) {
            for (int l = lid; l < DEPTH * BLOCK; l += GROUP * GROUP) {
                loadA(sel, ao, i0, k0, l, m, k, tA, BLOCK, STRIDE);
                loadB(sel, bo, j0, k0, l, k, n, tB, BLOCK, STRIDE);
            }
            localBarrier();
            for (int kk = 0; kk < DEPTH; kk++) {
                int ra = kk * STRIDE + ty, rb = kk * STRIDE + tx;
                float a0 = tileA[ra], a1 = tileA[ra + 16], a2 = tileA[ra + 32], a3 = tileA[ra + 48];
                float b0 = tileB[rb], b1 = tileB[rb + 16], b2 = tileB[rb + 32], b3 = tileB[rb + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            localBarrier();
        }
        store(sel, ob, i0 + ty + 0, j0 + tx, m, n, c00, c01, c02, c03);
        store(sel, ob, i0 + ty + 16, j0 + tx, m, n, c10, c11, c12, c13);
        store(sel, ob, i0 + ty + 32, j0 + tx, m, n, c20, c21, c22, c23);
        store(sel, ob, i0 + ty + 48, j0 + tx, m, n, c30, c31, c32, c33);
    }

    /**
     * Element l of op(A)'s slab (blk rows, stored at stride str), in the order A is stored: (i, k) row-major, or
     * (k, i) when transposed.
     */
    final void loadA(int sel, int ao, int i0, int k0, int l, int m, int k, int tA, int blk, int str) {
        int ii = tA == 0 ? l / DEPTH : l % blk;
        int kk = tA == 0 ? l % DEPTH : l / blk;
        int i = i0 + ii, kx = k0 + kk;
        float v = 0f;
        if (i < m && kx < k) {
            v = elementA(sel, tA == 0 ? ao + i * k + kx : ao + kx * m + i);
        }
        tileA[kk * str + ii] = v;
    }

    /** Element l of op(B)'s slab (blk columns, stride str), in the order B is stored: (k, j), or (j, k) transposed. */
    final void loadB(int sel, int bo, int j0, int k0, int l, int k, int n, int tB, int blk, int str) {
        int jj = tB == 0 ? l % blk : l / DEPTH;
        int kk = tB == 0 ? l / blk : l % DEPTH;
        int j = j0 + jj, kx = k0 + kk;
        float v = 0f;
        if (j < n && kx < k) {
            v = elementB(sel, tB == 0 ? bo + kx * n + j : bo + j * k + kx);
        }
        tileB[kk * str + jj] = v;
    }

    /** Row i of out at columns j, j + 16, j + 32, j + 48, where they lie inside the (m, n) matrix. */
    private void store(int sel, int ob, int i, int j, int m, int n, float v0, float v1, float v2, float v3) {
        if (i < m) {
            storeOne(sel, ob + i * n, j, n, v0);
            storeOne(sel, ob + i * n, j + 16, n, v1);
            storeOne(sel, ob + i * n, j + 32, n, v2);
            storeOne(sel, ob + i * n, j + 48, n, v3);
        }
    }

    final void storeOne(int sel, int row, int j, int n, float v) {
        if (j < n) {
            storeOut(sel, row + j, v);
        }
    }

    /** Element idx of A (an index into the array, offsets included); sel as given to {@link #product}. */
    float elementA(int sel, int idx) {
        return a[idx];
    }

    /** Element idx of B. */
    float elementB(int sel, int idx) {
        return b[idx];
    }

    /** Writes (or, when accumulating, adds) output element idx. */
    void storeOut(int sel, int idx, float v) {
        out[idx] = accumulate != 0 ? out[idx] + v : v;
    }
}
