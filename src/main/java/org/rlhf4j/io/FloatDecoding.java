package org.rlhf4j.io;

import java.nio.ByteBuffer;

/**
 * Converts little-endian elements of each loadable {@link Dtype} to {@code float}.
 *
 * <ul>
 *   <li>F32: the bits as they are (NaN payloads and infinities preserved).
 *   <li>F16 (IEEE binary16: 1 sign, 5 exponent, 10 mantissa bits) and BF16 (the top 16 bits of an
 *       F32): widened exactly; every F16 and BF16 value, subnormals and NaN payloads included, is a
 *       float.
 *   <li>F64: rounded to the nearest float. A finite value whose magnitude rounds beyond
 *       {@code Float.MAX_VALUE} would silently become infinity, so it is rejected instead; NaN and
 *       the infinities map to themselves, tiny values may round to (signed) zero.
 *   <li>BOOL, U8, I8, I16, U16: exact. I32, U32, I64, U64: accepted only when the value has at most
 *       24 significant bits (so it is exactly a float); anything else is rejected.
 * </ul>
 * Rejections are reported as the index of the first offending element, for the reader to name.
 */
final class FloatDecoding {

    /** Returned by {@link #decode} when every element converted. */
    static final int OK = -1;

    private FloatDecoding() {
    }

    /**
     * Decodes {@code n} elements of {@code dtype} from {@code src} (little-endian, positioned at the
     * first element) into {@code dst[at .. at + n)}. Returns {@link #OK}, or the index in
     * {@code [0, n)} of the first element that has no exact-enough float.
     */
    static int decode(Dtype dtype, ByteBuffer src, float[] dst, int at, int n) {
        for (int i = 0; i < n; i++) {
            float v;
            switch (dtype) {
                case F32 -> v = Float.intBitsToFloat(src.getInt());
                case F16 -> v = halfToFloat(src.getShort());
                case BF16 -> v = bfloat16ToFloat(src.getShort());
                case F64 -> {
                    double d = src.getDouble();
                    v = (float) d;
                    if (Float.isInfinite(v) && !Double.isInfinite(d)) {
                        return i;
                    }
                }
                case BOOL -> v = src.get() != 0 ? 1f : 0f;
                case U8 -> v = src.get() & 0xFF;
                case I8 -> v = src.get();
                case I16 -> v = src.getShort();
                case U16 -> v = src.getShort() & 0xFFFF;
                case I32 -> v = exact(src.getInt(), false);
                case U32 -> v = exact(src.getInt() & 0xFFFF_FFFFL, false);
                case I64 -> v = exact(src.getLong(), false);
                case U64 -> v = exact(src.getLong(), true);
                default -> throw new IllegalArgumentException(dtype + " is not loadable as float");
            }
            if (Float.isNaN(v) && isIntegerType(dtype)) {
                return i;
            }
            dst[at + i] = v;
        }
        return OK;
    }

    /** IEEE binary16 bits to the float with the same value (exact). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float
            float magnitude = Math.scalb((float) mantissa, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            // infinity (mantissa 0) or NaN: keep the payload in the top mantissa bits
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        // normal: rebias the exponent from 15 to 127, widen the mantissa from 10 to 23 bits
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** bfloat16 bits (the high half of a float) to that float (exact). */
    static float bfloat16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /**
     * {@code value} as a float if that is exact, NaN otherwise. {@code unsigned}: read the 64 bits as
     * an unsigned number. A number is exactly a float when its binary digits, from the highest set
     * bit to the lowest, span at most 24 bits (float's significand).
     */
    static float exact(long value, boolean unsigned) {
        boolean negative = !unsigned && value < 0;
        long magnitude = negative ? -value : value; // Long.MIN_VALUE stays 2^63 read as unsigned
        if (magnitude == 0) {
            return 0f;
        }
        int span = 64 - Long.numberOfLeadingZeros(magnitude) - Long.numberOfTrailingZeros(magnitude);
        if (span > 24) {
            return Float.NaN;
        }
        // magnitude >>> 1 is exact too (a set bit 63 implies trailing zeros), and never negative
        float f = (magnitude & 1) == 1 ? (float) magnitude : (float) (magnitude >>> 1) * 2f;
        return negative ? -f : f;
    }

    private static boolean isIntegerType(Dtype d) {
        return d == Dtype.I32 || d == Dtype.U32 || d == Dtype.I64 || d == Dtype.U64;
    }
}
