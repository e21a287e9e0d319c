package org.rlhf4j.kernels;

/**
 * A counter-based random generator: the value at (seed, counter) is a pure function of both, so any
 * thread can draw element i of a random stream without seeing elements before it, and the stream is
 * the same whatever the thread count. The mixing function is SplitMix64's finaliser (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
 */
public final class CounterRng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRng() {
    }

    /** 64 well-mixed bits for (seed, counter). */
    public static long bits(long seed, long counter) {
        // The seed is mixed first, so streams of different seeds start at unrelated points.
        return mix(mix(seed) + (counter + 1) * GOLDEN_GAMMA);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A float uniform in [0, 1) with 24 random bits. */
    public static float uniform(long seed, long counter) {
        return (bits(seed, counter) >>> 40) * 0x1.0p-24f;
    }
}
