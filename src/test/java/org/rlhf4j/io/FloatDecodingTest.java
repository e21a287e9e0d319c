package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** F16 and BF16 against known values and an independent formula; F64 and integer narrowing rules. */
class FloatDecodingTest {

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": expected " + expected + " got " + actual);
    }

    @Test
    void halfKnownValues() {
        assertBits(1f, FloatDecoding.halfToFloat((short) 0x3C00), "one");
        assertBits(-2f, FloatDecoding.halfToFloat((short) 0xC000), "minus two");
        assertBits(65504f, FloatDecoding.halfToFloat((short) 0x7BFF), "largest normal");
        assertBits(0x1p-14f, FloatDecoding.halfToFloat((short) 0x0400), "smallest normal");
        assertBits(0x1p-24f, FloatDecoding.halfToFloat((short) 0x0001), "smallest subnormal");
        assertBits(0x3FFp-24f, FloatDecoding.halfToFloat((short) 0x03FF), "largest subnormal");
        assertBits(0.333251953125f, FloatDecoding.halfToFloat((short) 0x3555), "nearest to 1/3");
        assertBits(0f, FloatDecoding.halfToFloat((short) 0x0000), "zero");
        assertBits(-0f, FloatDecoding.halfToFloat((short) 0x8000), "negative zero");
        assertBits(Float.POSITIVE_INFINITY, FloatDecoding.halfToFloat((short) 0x7C00), "inf");
        assertBits(Float.NEGATIVE_INFINITY, FloatDecoding.halfToFloat((short) 0xFC00), "-inf");
        assertBits(Float.intBitsToFloat(0x7FC00000), FloatDecoding.halfToFloat((short) 0x7E00), "quiet NaN");
        assertBits(Float.intBitsToFloat(0x7F802000), FloatDecoding.halfToFloat((short) 0x7C01), "NaN payload kept");
    }

    /** Every one of the 65536 half-precision patterns against (-1)^s * 2^(e-15) * (1 + m/1024), in double. */
    @Test
    void everyHalfMatchesTheDefinition() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int s = bits >>> 15;
            int e = (bits >>> 10) & 0x1F;
            int m = bits & 0x3FF;
            float got = FloatDecoding.halfToFloat((short) bits);
            if (e == 0x1F) {
                assertTrue(m == 0 ? Float.isInfinite(got) : Float.isNaN(got), Integer.toHexString(bits));
                continue;
            }
            double magnitude = e == 0 ? m * Math.pow(2, -24) : Math.pow(2, e - 15) * (1 + m / 1024.0);
            double want = s == 1 ? -magnitude : magnitude;
            assertEquals(want, got, 0.0, Integer.toHexString(bits));
            assertEquals(s == 1, (Float.floatToRawIntBits(got) >>> 31) == 1, "sign of " + Integer.toHexString(bits));
        }
    }

    @Test
    void bfloat16KnownValues() {
        assertBits(1f, FloatDecoding.bfloat16ToFloat((short) 0x3F80), "one");
        assertBits(3.140625f, FloatDecoding.bfloat16ToFloat((short) 0x4049), "pi, rounded");
        assertBits(-0x1.FEp127f, FloatDecoding.bfloat16ToFloat((short) 0xFF7F), "most negative");
        assertBits(0x1p-133f, FloatDecoding.bfloat16ToFloat((short) 0x0001), "smallest subnormal");
        assertBits(Float.POSITIVE_INFINITY, FloatDecoding.bfloat16ToFloat((short) 0x7F80), "inf");
        assertTrue(Float.isNaN(FloatDecoding.bfloat16ToFloat((short) 0x7FC0)), "NaN");
    }

    private static int decode(Dtype dtype, ByteBuffer buf, float[] out) {
        buf.flip();
        return FloatDecoding.decode(dtype, buf, out, 0, out.length);
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void f64RoundsButRejectsValuesBeyondFloatRange() {
        float[] out = new float[5];
        ByteBuffer ok = le(40).putDouble(0.1).putDouble(Double.NaN).putDouble(Double.NEGATIVE_INFINITY)
                .putDouble(1e-300).putDouble(Float.MAX_VALUE);
        assertEquals(FloatDecoding.OK, decode(Dtype.F64, ok, out));
        assertBits(0.1f, out[0], "rounded");
        assertTrue(Float.isNaN(out[1]));
        assertBits(Float.NEGATIVE_INFINITY, out[2], "infinity kept");
        assertBits(0f, out[3], "underflow to zero");
        assertBits(Float.MAX_VALUE, out[4], "max");
        ByteBuffer bad = le(16).putDouble(1).putDouble(-1e39);
        assertEquals(1, decode(Dtype.F64, bad, new float[2]), "index of the first value beyond float range");
    }

    @Test
    void integersWidenExactlyOrAreRejected() {
        float[] out = new float[4];
        assertEquals(FloatDecoding.OK, decode(Dtype.I64, le(32).putLong(-(1L << 24)).putLong(1L << 40)
                .putLong(Long.MIN_VALUE).putLong(3), out));
        assertBits(-16777216f, out[0], "-2^24");
        assertBits(0x1p40f, out[1], "2^40");
        assertBits(-0x1p63f, out[2], "Long.MIN_VALUE");
        assertEquals(1, decode(Dtype.I64, le(16).putLong(5).putLong((1L << 24) + 1), new float[2]), "2^24 + 1");
        assertEquals(0, decode(Dtype.U64, le(8).putLong(-1L), new float[1]), "2^64 - 1");
        float[] one = new float[1];
        assertEquals(FloatDecoding.OK, decode(Dtype.U64, le(8).putLong(Long.MIN_VALUE), one));
        assertBits(0x1p63f, one[0], "2^63 unsigned");
        assertEquals(FloatDecoding.OK, decode(Dtype.U32, le(4).putInt(-256), one));
        assertBits(4294967040f, one[0], "2^32 - 256 unsigned");
        float[] small = new float[4];
        assertEquals(FloatDecoding.OK, decode(Dtype.I8, le(4).put((byte) -128).put((byte) 127).put((byte) 0).put((byte) 1), small));
        assertBits(-128f, small[0], "I8 min");
        assertEquals(FloatDecoding.OK, decode(Dtype.BOOL, le(2).put((byte) 0).put((byte) 1), new float[2]));
        assertEquals(FloatDecoding.OK, decode(Dtype.U16, le(2).putShort((short) -1), one));
        assertBits(65535f, one[0], "U16 max");
    }
}
