package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.rlhf4j.kernels.scalar.ScalarMath;

/**
 * The elementwise functions a vector at a time, written so that no intermediate overflows and no
 * difference cancels: the vector twins of {@link ScalarMath}.
 *
 * <p>Why an own exp and not {@code lanewise(EXP)}: the Vector API computes EXP with Intel SVML in
 * C2-compiled code but with {@code (float) Math.exp} per lane in the interpreter and C1, and the two
 * differ in the last bit for some inputs (e^-9.769291: SVML 5.718088E-5, Math.exp 5.7180885E-5).
 * The same kernel call would then give different bits before and after the JIT compiles it, or
 * mid-array after an on-stack replacement, breaking bit-identical results. {@link #exp} uses only
 * correctly rounded IEEE operations (add, multiply, fma, conversions), which every execution mode
 * computes alike.
 */
final class VectorMath {

    private static final float GELU_SCALE = ScalarMath.GELU_SCALE;
    private static final float GELU_CUBIC = ScalarMath.GELU_CUBIC;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;       // ln 2 = LN2_HI + LN2_LO, LN2_HI with 9 bits,
    private static final float LN2_LO = -2.12194440e-4f;    // so n * LN2_HI is exact for |n| <= 2^14
    private static final float ROUND = 0x1.8p23f;           // v + 1.5 * 2^23 - 1.5 * 2^23 rounds v to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    // e^r - 1 - r ~ r^2 (P0 + P1 r + ... + P5 r^5) on |r| <= ln(2)/2 (the minimax fit of Cephes' expf, Moshier 1984)
    private static final float P0 = 5.0000001201e-1f, P1 = 1.6666665459e-1f, P2 = 4.1665795894e-2f;
    private static final float P3 = 8.3334519073e-3f, P4 = 1.3981999507e-3f, P5 = 1.9875691500e-4f;

    private VectorMath() {
    }

    /**
     * e^x: x = n ln 2 + r with integer n and |r| <= ln(2)/2, e^r by polynomial, times 2^n applied as
     * two exact powers of two (so results in the subnormal range are rounded once). Within 2 ulps
     * of the correctly rounded value (KernelsProperties states the measured error); e^x overflows
     * to inf above 88.72, underflows to 0 below -103.97; NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        // n stays in [-150, 129]; NaN stays NaN. (max(float) is far slower than max(vector) on JDK 25.)
        FloatVector xc = x.max(broadcast(-104f)).min(broadcast(89f));
        FloatVector t = xc.mul(LOG2E).add(ROUND);                     // ROUND + round(x log2 e), ulp 1
        FloatVector n = t.sub(ROUND);                                 // round(x log2 e)
        FloatVector r = n.fma(broadcast(-LN2_HI), xc).add(n.mul(-LN2_LO)); // x - n ln 2, n LN2_HI exact
        FloatVector p = r.fma(P5, P4).fma(r, broadcast(P3)).fma(r, broadcast(P2)).fma(r, broadcast(P1)).fma(r, broadcast(P0));
        p = p.mul(r.mul(r)).add(r).add(1f);                           // e^r
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);          // n as an int (F2I is slow on JDK 17)
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);          // 2^n = 2^k1 2^k2, each normal
        IntVector k2 = k.sub(k1);
        return p.mul(powerOfTwo(k1)).mul(powerOfTwo(k2));
    }

    private static FloatVector broadcast(float c) {
        return FloatVector.broadcast(F, c);
    }

    /** 2^k as float bits, for k in [-126, 127]. */
    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * sigmoid(x) = 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below: with e = e^-|x| in (0, 1]
     * neither overflows. NaN stays NaN.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        FloatVector e = exp(x.abs().neg());
        FloatVector r = one.div(e.add(one));                                  // sigmoid(|x|)
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, zero));        // sigmoid(-|x|) = e sigmoid(|x|)
    }

    /**
     * GELU(x) = 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3): no
     * cancellation in 1 + tanh u for x << 0. (Composed functions call exp directly and are written
     * out rather than built from small helpers, so that C2 inlines the whole chain into the loop.)
     */
    static FloatVector gelu(FloatVector x) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        FloatVector z = x.mul(x).mul(FloatVector.broadcast(F, GELU_CUBIC)).fma(x, x)
                .mul(FloatVector.broadcast(F, 2f * GELU_SCALE));               // 2u
        FloatVector e = exp(z.abs().neg());
        FloatVector r = one.div(e.add(one));
        return x.mul(r.blend(e.mul(r), z.compare(VectorOperators.LT, zero)));  // x sigmoid(2u)
    }

    /** GELU'(x) = s + 2 x s (1 - s) du/dx with s = sigmoid(2u), du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2). */
    static FloatVector geluDerivative(FloatVector x) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        FloatVector x2 = x.mul(x);
        FloatVector z = x2.mul(FloatVector.broadcast(F, GELU_CUBIC)).fma(x, x).mul(FloatVector.broadcast(F, 2f * GELU_SCALE));
        FloatVector e = exp(z.abs().neg());
        FloatVector r = one.div(e.add(one)), er = e.mul(r);                   // sigmoid(|z|), sigmoid(-|z|)
        VectorMask<Float> negative = z.compare(VectorOperators.LT, zero);
        FloatVector s = r.blend(er, negative);                                // sigmoid(z)
        FloatVector sc = er.blend(r, negative);                               // 1 - sigmoid(z), no cancellation
        FloatVector du = x2.mul(FloatVector.broadcast(F, 3f * GELU_CUBIC * GELU_SCALE)).add(FloatVector.broadcast(F, GELU_SCALE));
        FloatVector ssc = s.mul(sc);
        // where the sigmoid saturates (s (1 - s) = 0) the second term is 0, also when x^2 overflows du
        FloatVector term = x.add(x).mul(ssc).mul(du).blend(zero, ssc.compare(VectorOperators.EQ, zero));
        return term.add(s);
    }
}
