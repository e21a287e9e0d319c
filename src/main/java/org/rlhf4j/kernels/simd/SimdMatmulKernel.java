package org.rlhf4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel of the blocked matmul: one {@code MR x NR} tile of C, updated from a packed A
 * micro-panel ({@code MR} rows, {@code kc} columns, column-major: {@code ap[k*MR + i]}) and a packed
 * B micro-panel ({@code kc} rows, {@code NR} columns, row-major: {@code bp[k*NR + j]}).
 *
 * <p>The tile lives in {@code MR * 2} vector registers. Each step k loads two vectors of B, broadcasts
 * each of the MR values of A and issues {@code 2 MR} fused multiply-adds: the rank-1 update
 * {@code C += a_k b_k^T} of Goto and van de Geijn (2008), section 4. MR follows the register file: with
 * 512-bit vectors (AVX-512: 32 registers) the tile is 8 rows x 2 vectors of 16 floats, 16 accumulators;
 * with narrower vectors (AVX2: 16 registers) 6 rows x 2 vectors of 8 floats, 12 accumulators, so that
 * the accumulators, the two B vectors and the broadcast A value fit in 15 registers. An 8-row tile there
 * needs 19 and C2 spills accumulators to the stack on every step (measured on a Zen 3: 50 GFLOPS a
 * core with 8 rows, against the 6-row tile's figure in docs/benchmarks.md).
 *
 * <p>Every element of C is a single chain {@code c = fma(a_ik, b_kj, c)} over k in increasing
 * order, starting from the old C (or from 0). Splitting K into blocks stores and reloads c between
 * blocks, which rounds nothing, so the result does not depend on the block sizes or on the threads.
 */
final class SimdMatmulKernel {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512. */
    static final int L = S.length();
    /**
     * Rows of the register tile: 8 with 512-bit vectors (32 registers), else 6 (16 registers).
     * {@code -Drlhf4j.simd.tileRows=6|8} overrides the choice (for benchmarks; any other value is ignored).
     */
    static final int MR = tileRows(Integer.getInteger("rlhf4j.simd.tileRows", 0));
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;

    private SimdMatmulKernel() {
    }

    static int tileRows(int requested) {
        return requested == 6 || requested == 8 ? requested : S.vectorBitSize() >= 512 ? 8 : 6;
    }

    /**
     * {@code C[MR x NR] = (load ? C : 0) + A_panel · B_panel} over {@code kc} steps, C at
     * {@code c[cOff + i*ldc + j]}; the whole tile must lie inside {@code c}.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff,
                     float[] c, int cOff, int ldc, boolean load) {
        if (MR == 8) { // a constant: C2 keeps one branch
            tile8(kc, ap, aOff, bp, bOff, c, cOff, ldc, load);
        } else {
            tile6(kc, ap, aOff, bp, bOff, c, cOff, ldc, load);
        }
    }

    /** {@link #tile} with 8 rows (MR = 8). */
    private static void tile8(int kc, float[] ap, int aOff, float[] bp, int bOff,
                              float[] c, int cOff, int ldc, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (load) {
            int r = cOff;
            c00 = FloatVector.fromArray(S, c, r); c01 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c10 = FloatVector.fromArray(S, c, r); c11 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c20 = FloatVector.fromArray(S, c, r); c21 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c30 = FloatVector.fromArray(S, c, r); c31 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c40 = FloatVector.fromArray(S, c, r); c41 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c50 = FloatVector.fromArray(S, c, r); c51 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c60 = FloatVector.fromArray(S, c, r); c61 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c70 = FloatVector.fromArray(S, c, r); c71 = FloatVector.fromArray(S, c, r + L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z;
            c40 = z; c41 = z; c50 = z; c51 = z; c60 = z; c61 = z; c70 = z; c71 = z;
        }
        int ai = aOff, bi = bOff;
        for (int k = 0; k < kc; k++, ai += 8, bi += NR) {
            // rank-1 update: row i of the tile += a(i,k) * b(k, 0..NR)
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);     c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        int r = cOff;
        c00.intoArray(c, r); c01.intoArray(c, r + L); r += ldc;
        c10.intoArray(c, r); c11.intoArray(c, r + L); r += ldc;
        c20.intoArray(c, r); c21.intoArray(c, r + L); r += ldc;
        c30.intoArray(c, r); c31.intoArray(c, r + L); r += ldc;
        c40.intoArray(c, r); c41.intoArray(c, r + L); r += ldc;
        c50.intoArray(c, r); c51.intoArray(c, r + L); r += ldc;
        c60.intoArray(c, r); c61.intoArray(c, r + L); r += ldc;
        c70.intoArray(c, r); c71.intoArray(c, r + L);
    }

    /** {@link #tile} with 6 rows (MR = 6). */
    private static void tile6(int kc, float[] ap, int aOff, float[] bp, int bOff,
                              float[] c, int cOff, int ldc, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            int r = cOff;
            c00 = FloatVector.fromArray(S, c, r); c01 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c10 = FloatVector.fromArray(S, c, r); c11 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c20 = FloatVector.fromArray(S, c, r); c21 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c30 = FloatVector.fromArray(S, c, r); c31 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c40 = FloatVector.fromArray(S, c, r); c41 = FloatVector.fromArray(S, c, r + L); r += ldc;
            c50 = FloatVector.fromArray(S, c, r); c51 = FloatVector.fromArray(S, c, r + L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
        }
        int ai = aOff, bi = bOff;
        for (int k = 0; k < kc; k++, ai += 6, bi += NR) {
            // rank-1 update: row i of the tile += a(i,k) * b(k, 0..NR)
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);     c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
        }
        int r = cOff;
        c00.intoArray(c, r); c01.intoArray(c, r + L); r += ldc;
        c10.intoArray(c, r); c11.intoArray(c, r + L); r += ldc;
        c20.intoArray(c, r); c21.intoArray(c, r + L); r += ldc;
        c30.intoArray(c, r); c31.intoArray(c, r + L); r += ldc;
        c40.intoArray(c, r); c41.intoArray(c, r + L); r += ldc;
        c50.intoArray(c, r); c51.intoArray(c, r + L);
    }

    /**
     * The same update for a partial tile at the edge of C ({@code mr <= MR} rows, {@code nr <= NR}
     * columns): the tile is copied into {@code scratch} (MR x NR), updated by {@link #tile} and
     * copied back. The packed panels are zero-padded, so the arithmetic of each element is unchanged.
     */
    static void edgeTile(int kc, float[] ap, int aOff, float[] bp, int bOff,
                         float[] c, int cOff, int ldc, boolean load, int mr, int nr, float[] scratch) {
        if (load) {
            for (int i = 0; i < mr; i++) {
                System.arraycopy(c, cOff + i * ldc, scratch, i * NR, nr);
            }
        }
        tile(kc, ap, aOff, bp, bOff, scratch, 0, NR, load);
        for (int i = 0; i < mr; i++) {
            System.arraycopy(scratch, i * NR, c, cOff + i * ldc, nr);
        }
    }
}
