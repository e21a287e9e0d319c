package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * {@code out[b] (M,N) = op(A[b]) · op(B[b])} (or {@code +=}), tiled through local memory: a work group
 * of TILE x TILE items computes one TILE x TILE block of out; each step loads a TILE-wide slab of
 * op(A) and of op(B) into local memory (one element per item), waits at a barrier, and every item
 * adds TILE products to its accumulator. The 3-D range is (N, M, batch) rounded up to TILE; items
 * outside the matrix load zeros and write nothing. Each output sums k in increasing order, as the
 * reference does (an OpenCL compiler may still contract a*b+c into one fma).
 *
 * <p>Loads are coalesced for every transpose variant: adjacent items (local id 0) read adjacent
 * addresses, whichever layout A and B are stored in, because the item that loads an element of a
 * tile is chosen by the stored layout, not by the element's place in op(A).
 *
 * <p>Written for Aparapi: int fields instead of booleans, no objects, no calls outside Kernel.
 */
final class MatmulKernel extends Kernel {

    /** Side of the square tile, and of the work group. */
    static final int TILE = 16;

    float[] out, a, b;
    int outOff, aOff, bOff, M, K, N, transA, transB, shareB, accumulate;

    @Local final float[] tileA = new float[TILE * TILE]; // [i][k] of op(A)'s block
    @Local final float[] tileB = new float[TILE * TILE]; // [k][j] of op(B)'s block

    @Override
    public void run() {
        int tx = getLocalId(0), ty = getLocalId(1);
        int i0 = getGroupId(1) * TILE, j0 = getGroupId(0) * TILE, bt = getGlobalId(2);
        int i = i0 + ty, j = j0 + tx;
        int ao = aOff + bt * M * K, bo = bOff + (1 - shareB) * bt * K * N;
        float acc = 0f;
        for (int k0 = 0; k0 < K; k0 += TILE) {
            if (transA == 0) { // A (M,K): item (tx, ty) loads A[i0+ty][k0+tx]
                int r = i0 + ty, k = k0 + tx;
                tileA[ty * TILE + tx] = r < M && k < K ? a[ao + r * K + k] : 0f;
            } else {           // A stored (K,M): item (tx, ty) loads A^T[k0+ty][i0+tx]
                int r = i0 + tx, k = k0 + ty;
                tileA[tx * TILE + ty] = r < M && k < K ? a[ao + k * M + r] : 0f;
            }
            if (transB == 0) { // B (K,N): item loads B[k0+ty][j0+tx]
                int k = k0 + ty, c = j0 + tx;
                tileB[ty * TILE + tx] = k < K && c < N ? b[bo + k * N + c] : 0f;
            } else {           // B stored (N,K): item loads B^T[j0+ty][k0+tx]
                int k = k0 + tx, c = j0 + ty;
                tileB[tx * TILE + ty] = k < K && c < N ? b[bo + c * K + k] : 0f;
            }
            localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += tileA[ty * TILE + kk] * tileB[kk * TILE + tx];
            }
            localBarrier();
        }
        if (i < M && j < N) {
            int o = outOff + bt * M * N + i * N + j;
            out[o] = accumulate != 0 ? out[o] + acc : acc;
        }
    }
}
