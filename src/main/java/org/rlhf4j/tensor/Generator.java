package org.rlhf4j.tensor;

import org.rlhf4j.kernels.CounterRng;

/**
 * An explicitly seeded random stream on {@link CounterRng}: draw number i is a pure function of
 * (seed, i), and the state is just {@code (seed, counter)}, so a checkpoint can store and restore it
 * exactly. Not thread-safe: give each thread its own generator. Drawing random numbers is the one
 * place in this package with a loop over elements (it is initialisation, not a kernel op).
 */
public final class Generator {

    private final long seed;
    private long counter;

    /** A stream starting at draw 0 of {@code seed}. */
    public Generator(long seed) {
        this(seed, 0L);
    }

    /** A stream resumed at draw {@code counter} of {@code seed}. */
    public Generator(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() {
        return seed;
    }

    /** How many numbers have been drawn: with the seed, the whole state. */
    public long counter() {
        return counter;
    }

    /** Uniform in [0, 1), 24 random bits. */
    public float nextUniform() {
        return CounterRng.uniform(seed, counter++);
    }

    /** 64 random bits, e.g. a seed for {@link Tensor#dropout}. */
    public long nextLong() {
        return CounterRng.bits(seed, counter++);
    }

    /**
     * Uniform in [0, bound) with no modulo bias: 63 random bits, rejecting the incomplete top bucket
     * (the method of java.util.Random#nextInt(int), on 63 bits). A rejection draws again, so the number
     * of draws varies, but it is a pure function of the generator's state, so resuming is still exact.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            long u = nextLong() >>> 1;
            long r = u % bound;
            if (u - r + (bound - 1) >= 0) { // false only when u is in the last, partial bucket (overflow)
                return (int) r;
            }
        }
    }

    /** A standard normal sample (Box and Muller 1958): sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1]. */
    public float nextGaussian() {
        double u1 = 1.0 - nextUniform();
        double u2 = nextUniform();
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    void fillGaussian(float[] out, int off, int n) {
        for (int i = 0; i < n; i++) {
            out[off + i] = nextGaussian();
        }
    }

    void fillUniform(float[] out, int off, int n, float lo, float hi) {
        for (int i = 0; i < n; i++) {
            out[off + i] = lo + (hi - lo) * nextUniform();
        }
    }
}
