package org.rlhf4j.rlhf.demo;

import java.nio.charset.StandardCharsets;

/** Seeds for each use of randomness in the demo, derived from its one seed and the use's name. */
final class Seeds {

    private Seeds() {
    }

    /** SplitMix64's finaliser of {@code seed} mixed with a hash of {@code purpose}: unrelated streams per use. */
    static long derive(long seed, String purpose) {
        long h = 0xcbf29ce484222325L; // FNV-1a of the purpose
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = seed + h + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of item {@code index} of a use. */
    static long derive(long seed, String purpose, int index) {
        return derive(derive(seed, purpose), Integer.toString(index));
    }
}
