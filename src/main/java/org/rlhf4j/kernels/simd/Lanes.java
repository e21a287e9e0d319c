package org.rlhf4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What every SIMD kernel shares: the vector shape, the split of flat loops into thread ranges, and
 * reductions of a row in a fixed order.
 *
 * <p>Thread-count independence: a flat elementwise loop is split over {@link #chunks} of
 * {@link #CHUNK} elements, a multiple of every vector length, so an element is handled by the
 * vector body or by the scalar tail according to its index alone, never according to where a
 * thread's range happens to end.
 * Rows are never split. Sums over lanes are taken in lane order by {@link #sum}, not by
 * {@code reduceLanes(ADD)}, whose order the Vector API leaves unspecified (it may differ between
 * the interpreter and compiled code).
 */
final class Lanes {

    /** The widest vector of floats this CPU has: 16 lanes with AVX-512, 8 with AVX2. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = F.length();
    /** Elements per unit of a flat parallel loop; a multiple of every vector length. */
    static final int CHUNK = 1024;
    /** Fewest elements worth handing to another thread, as in ScalarKernels. */
    static final int GRAIN = 1 << 14;
    /** Fewest chunks worth handing to another thread. */
    static final int CHUNK_GRAIN = GRAIN / CHUNK;

    private Lanes() {
    }

    /** Number of CHUNK-sized units of a flat loop of n elements: split these with {@link #CHUNK_GRAIN}. */
    static int chunks(int n) {
        return (int) (((long) n + CHUNK - 1) / CHUNK);
    }

    /** First element of chunk c. */
    static int start(int c) {
        return c * CHUNK;
    }

    /** End of the elements of chunks before c, at most n. */
    static int end(int c, int n) {
        return (int) Math.min(n, (long) c * CHUNK);
    }

    /** Rows per range so that each range holds about GRAIN elements of work. */
    static int rowGrain(long workPerRow) {
        return (int) Math.max(1, GRAIN / Math.max(1, workPerRow));
    }

    /** sum of the lanes of v, lane 0 first. */
    static float sum(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0f;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    /** max_j x[off + j] for j < n; -inf for n = 0; NaN if any entry is NaN (as Math.max). */
    static float max(float[] x, int off, int n) {
        int j = 0, bound = F.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; j < bound; j += L) {
                acc = acc.max(FloatVector.fromArray(F, x, off + j));
            }
            m = acc.reduceLanes(VectorOperators.MAX); // max is exact: any order gives the same value
        }
        for (; j < n; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    /** sum_j x[off + j]: one vector accumulator in index order, lanes summed in order, then the tail. */
    static float sum(float[] x, int off, int n) {
        int j = 0, bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (; j < bound; j += L) {
            acc = acc.add(FloatVector.fromArray(F, x, off + j));
        }
        float s = sum(acc);
        for (; j < n; j++) {
            s += x[off + j];
        }
        return s;
    }

    /** sum_j x[xo + j] y[yo + j] with fused multiply-adds. */
    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        int j = 0, bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (; j < bound; j += L) {
            acc = FloatVector.fromArray(F, x, xo + j).fma(FloatVector.fromArray(F, y, yo + j), acc);
        }
        float s = sum(acc);
        for (; j < n; j++) {
            s = Math.fma(x[xo + j], y[yo + j], s);
        }
        return s;
    }
}
