package org.rlhf4j.tensor;

import java.util.Arrays;

/**
 * The cap on a single tensor allocation, checked before the array is made, so that a request that cannot
 * fit fails with a {@link TensorAllocationException} naming it instead of an OutOfMemoryError somewhere
 * later (RELIABILITY.md: "allocation requests over a configurable cap fail before allocating").
 *
 * <p>The cap, in float elements, is, in order of precedence: the last {@link #setMaxElements(long)};
 * else {@code -Drlhf4j.maxTensorElements=N}; else the default, {@code min(maxHeap / 4, 2^31 - 9)}:
 * no tensor larger than the whole heap ({@link Runtime#maxMemory()} bytes / 4 bytes per float), and
 * never past the largest array HotSpot will make ({@code Integer.MAX_VALUE - 8}, the limit the JDK's own
 * collections use). The default stops the impossible requests (a shape of 2^40 floats, a size computed
 * with an overflow); it cannot promise that a request under it fits next to everything else on the heap:
 * set a tighter cap for that. The cap applies to each allocation of tensor data and gradients
 * ({@link Tensor#zeros}, {@link #floats}), not to their sum.
 *
 * <p>Element counts are computed with {@link Math#multiplyExact}, so an overflowing product of dimensions
 * is reported as such, never wrapped around.
 */
public final class TensorLimits {

    /** System property: the largest tensor, in float elements. */
    public static final String MAX_ELEMENTS_PROPERTY = "rlhf4j.maxTensorElements";
    /** The largest float[] length the JVM reliably makes (HotSpot reserves a few header words). */
    public static final long JAVA_ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    private static volatile long override = -1; // set by setMaxElements; -1: none
    private static volatile long fromProperties = -1; // the property or default, computed on first use

    private TensorLimits() {
    }

    /** The cap now, in float elements. */
    public static long maxElements() {
        long o = override;
        if (o >= 0) {
            return o;
        }
        long p = fromProperties;
        if (p < 0) {
            p = fromPropertiesOrDefault();
            fromProperties = p;
        }
        return p;
    }

    /**
     * Sets the cap for the whole JVM (as the system property would) and returns the previous one; values
     * above {@link #JAVA_ARRAY_LIMIT} are lowered to it. {@code restoreDefault()} undoes it.
     */
    public static long setMaxElements(long maxElements) {
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements must be >= 0, got " + maxElements);
        }
        long previous = maxElements();
        override = Math.min(maxElements, JAVA_ARRAY_LIMIT);
        return previous;
    }

    /** Goes back to the system property's cap, or the default; the property is read again. */
    public static void restoreDefault() {
        override = -1;
        fromProperties = -1;
    }

    /**
     * Checks that {@code elements} floats may be allocated for {@code what}.
     *
     * @throws TensorAllocationException when over the cap
     */
    public static void check(String what, long elements) {
        long max = maxElements();
        if (elements > max) {
            throw new TensorAllocationException(what, elements, max, max == JAVA_ARRAY_LIMIT
                    ? "a Java array holds at most " + JAVA_ARRAY_LIMIT + " elements"
                    : "raise -D" + MAX_ELEMENTS_PROPERTY + " or TensorLimits.setMaxElements (the default is"
                            + " what fits in the heap, -Xmx), or make the tensor smaller");
        }
    }

    /**
     * The product of {@code dims}, overflow-checked.
     *
     * @throws TensorAllocationException when a dimension is negative (IllegalArgumentException) or the
     *         product overflows a long
     */
    public static long elements(String what, int... dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(what + ": negative dimension in " + Arrays.toString(dims));
            }
            try {
                n = Math.multiplyExact(n, (long) d);
            } catch (ArithmeticException e) {
                throw new TensorAllocationException(what + " " + Arrays.toString(dims), Long.MAX_VALUE,
                        maxElements(), "the product of the dimensions overflows");
            }
        }
        return n;
    }

    /** A new zeroed float[] of the product of {@code dims}, checked against the cap first. */
    public static float[] floats(String what, int... dims) {
        long n = elements(what, dims);
        if (n > maxElements()) {
            check(what + " " + Arrays.toString(dims), n);
        }
        return new float[(int) n];
    }

    private static long fromPropertiesOrDefault() {
        String s = System.getProperty(MAX_ELEMENTS_PROPERTY);
        if (s == null || s.isBlank()) {
            return Math.min(Runtime.getRuntime().maxMemory() / Float.BYTES, JAVA_ARRAY_LIMIT);
        }
        try {
            long v = Long.parseLong(s.trim().replace("_", ""));
            if (v < 0) {
                throw new IllegalArgumentException("-D" + MAX_ELEMENTS_PROPERTY + " must be >= 0, got " + s);
            }
            return Math.min(v, JAVA_ARRAY_LIMIT);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + MAX_ELEMENTS_PROPERTY + " must be a whole number of float"
                    + " elements, got '" + s + "'", e);
        }
    }
}
