package org.rlhf4j.io;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** jqwik generators shared by the io properties. */
final class StGen {

    private StGen() {
    }

    /**
     * Strings of Unicode scalar values (never an unpaired surrogate), mostly ASCII with JSON's special
     * characters, sometimes from the rest of the BMP and the astral planes (emoji), sometimes empty.
     */
    static Arbitrary<String> names() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.of((int) '"', (int) '\\', (int) '\n', 0, (int) '.', 0x2028)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1F6FF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** Floats from every bit pattern: NaNs with payloads, infinities, subnormals, signed zeros. */
    static Arbitrary<Float> floatBits() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Float::intBitsToFloat),
                Arbitraries.of(0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0x7F800000, 0xFF800000, 0x80000000, 0x00000001)
                        .map(Float::intBitsToFloat),
                Arbitraries.floats());
    }
}
