package org.rlhf4j.data;

import org.rlhf4j.tensor.Generator;

/** Uniform integers from a {@link Generator}. */
final class RandomInts {

    private RandomInts() {
    }

    /**
     * Uniform in [0, bound) with no modulo bias: 63 random bits, rejecting the incomplete top bucket
     * (the method of java.util.Random#nextInt(int), on 63 bits). A rejection draws again, so the number
     * of draws varies, but it is a pure function of the generator's state, so resuming is still exact.
     */
    static int below(Generator g, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            long u = g.nextLong() >>> 1;
            long r = u % bound;
            if (u - r + (bound - 1) >= 0) { // false only when u is in the last, partial bucket (overflow)
                return (int) r;
            }
        }
    }
}
