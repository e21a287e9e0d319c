package org.rlhf4j.kernels;

import java.util.SplittableRandom;

/**
 * Test inputs for the kernel properties: arrays filled from a seed in one of several regimes,
 * from ordinary N(0, 1) values to the awkward ones (huge and tiny magnitudes, rows shifted by
 * +-1e4, magnitudes mixed across 60 decades with random signs).
 */
enum Values {
    /** N(0, 1). */
    NORMAL,
    /** N(0, 1) * 1e15: products and squares near float's range, exponentials all 0 or inf. */
    HUGE,
    /** N(0, 1) * 1e-30: squares below float's normal range. */
    TINY,
    /** 1e4 + N(0, 1): a large common offset (softmax shift invariance, layer norm cancellation). */
    SHIFT_UP,
    /** -1e4 + N(0, 1). */
    SHIFT_DOWN,
    /** +-10^U(-30, 30): mixed signs and magnitudes within one array. */
    MIXED,
    /** N(0, 1) * 30: exponentials and sigmoids that saturate and underflow. */
    WIDE,
    /** every entry the same value (1000.1): zero variance, ties for max. */
    CONSTANT,
    /** NaN, +-0, +-inf, +-1, 2, 0.5 and float's extremes: ties, signed zeros, NaN rules. */
    SPECIAL;

    private static final float[] SPECIALS = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        1f, -1f, 2f, 0.5f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE};

    /** n values in this regime, drawn from seed. */
    float[] fill(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = next(r);
        }
        return x;
    }

    /** One value. */
    float next(SplittableRandom r) {
        double g = gaussian(r);
        switch (this) {
            case NORMAL: return (float) g;
            case HUGE: return (float) (g * 1e15);
            case TINY: return (float) (g * 1e-30);
            case SHIFT_UP: return (float) (1e4 + g);
            case SHIFT_DOWN: return (float) (-1e4 + g);
            case MIXED: return (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-30, 30)));
            case WIDE: return (float) (g * 30);
            case CONSTANT: return 1000.1f;
            case SPECIAL: return SPECIALS[r.nextInt(SPECIALS.length)];
            default: throw new AssertionError(this);
        }
    }

    /** N(0, 1) by Box-Muller (SplittableRandom has no nextGaussian on JDK 17). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Whether every value is finite, so that error bounds are numbers. */
    boolean finite() {
        return this != SPECIAL;
    }

    /** n values N(0, 1): gradients flowing in, weights. */
    static float[] normal(long seed, int n) {
        return NORMAL.fill(seed, n);
    }
}
