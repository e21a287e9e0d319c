package org.rlhf4j.feedback;

import java.util.List;
import org.rlhf4j.tensor.Generator;

/** Seeded draws for this package: shuffles, and seeds derived from one seed. */
final class Draws {

    private Draws() {
    }

    /** Shuffles in place, Fisher-Yates (Durstenfeld's version): each order equally likely. */
    static <T> void shuffle(List<T> list, Generator g) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /**
     * The seed of member {@code index} of a group seeded with {@code seed}: SplitMix64's finaliser
     * (Steele, Lea and Flood, OOPSLA 2014) on seed + (index + 1) * golden gamma, so neighbouring seeds
     * and indices give unrelated streams.
     */
    static long derive(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
