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

    // The constants as vectors, made once: a broadcast written in the loop costs C2 a few dozen IR
    // nodes per use while it parses, and GELU's loop and its derivative's sit close to C2's inlining
    // budget (NodeCountInliningCutoff) on JDK 17. Past it, C2 stops inlining the Vector API and boxes
    // every vector on the heap, 3-8x slower; how close a loop sits depends on which other ops ran
    // first (their branch profiles in the Vector API's shared code), so GELU was fast or slow by
    // accident (docs/benchmarks.md, "GELU on JDK 17").
    private static final FloatVector ZERO = FloatVector.zero(F), ONE = broadcast(1f);
    private static final FloatVector EXP_MIN = broadcast(-104f), EXP_MAX = broadcast(89f);
    private static final FloatVector V_LOG2E = broadcast(LOG2E), V_ROUND = broadcast(ROUND);
    private static final FloatVector V_MINUS_LN2_HI = broadcast(-LN2_HI), V_MINUS_LN2_LO = broadcast(-LN2_LO);
    private static final FloatVector V_P0 = broadcast(P0), V_P1 = broadcast(P1), V_P2 = broadcast(P2);
    private static final FloatVector V_P3 = broadcast(P3), V_P4 = broadcast(P4), V_P5 = broadcast(P5);
    private static final IntVector V_ROUND_BITS = IntVector.broadcast(F.withLanes(int.class), ROUND_BITS);
    private static final IntVector V_127 = IntVector.broadcast(F.withLanes(int.class), 127);
    private static final FloatVector V_GELU_CUBIC = broadcast(GELU_CUBIC), V_TWO_GELU_SCALE = broadcast(2f * GELU_SCALE);
    private static final FloatVector V_GELU_SCALE = broadcast(GELU_SCALE), V_DU_CUBIC = broadcast(3f * GELU_CUBIC * GELU_SCALE);

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
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.mul(V_LOG2E).add(V_ROUND);                   // ROUND + round(x log2 e), ulp 1
        FloatVector n = t.sub(V_ROUND);                                 // round(x log2 e)
        FloatVector r = n.fma(V_MINUS_LN2_HI, xc).add(n.mul(V_MINUS_LN2_LO)); // x - n ln 2, n LN2_HI exact
        FloatVector p = r.fma(V_P5, V_P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0);
        p = p.mul(r.mul(r)).add(r).add(ONE);                            // e^r
        IntVector k = t.reinterpretAsInts().sub(V_ROUND_BITS);          // n as an int (F2I is slow on JDK 17)
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);            // 2^n = 2^k1 2^k2, each normal
        IntVector k2 = k.sub(k1);
        // 2^k1, 2^k2 as float bits (k + 127 shifted into the exponent), written out rather than
        // called: see geluExp for why no helper here takes or returns a vector
        return p.mul(k1.add(V_127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                .mul(k2.add(V_127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    private static FloatVector broadcast(float c) {
        return FloatVector.broadcast(F, c);
    }

    /**
     * sigmoid(x) = 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below: with e = e^-|x| in (0, 1]
     * neither overflows. NaN stays NaN.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = ONE.div(e.add(ONE));                                  // sigmoid(|x|)
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, ZERO));        // sigmoid(-|x|) = e sigmoid(|x|)
    }

    /**
     * GELU(x) = 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3): no
     * cancellation in 1 + tanh u for x << 0. Computed for a block of {@code len} elements (a
     * multiple of the vector length) in two loops, {@link #geluExp} then the rest, rather than in
     * one: on JDK 17 one loop with the whole chain sits at C2's inlining budget, and past it C2
     * boxes vectors on the heap (see the constants above). The two loops are methods that pass only
     * arrays between them, so where C2 stops inlining, the second costs a call, not a box per vector.
     */
    static void gelu(float[] x, int xo, float[] e, float[] out, int oo, int len) {
        geluExp(x, xo, e, len);
        geluGivenExp(x, xo, e, out, oo, len);
    }

    /** out = x sigmoid(2u) from x and e = exp(-|2u|). */
    private static void geluGivenExp(float[] x, int xo, float[] e, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), ev = FloatVector.fromArray(F, e, i);
            FloatVector r = ONE.div(ev.add(ONE));                                       // sigmoid(|2u|)
            FloatVector z = xv.mul(xv).mul(V_GELU_CUBIC).fma(xv, xv).mul(V_TWO_GELU_SCALE);  // 2u
            xv.mul(r.blend(ev.mul(r), z.compare(VectorOperators.LT, ZERO))).intoArray(out, oo + i);
        }
    }

    /**
     * dinp += dout * GELU'(x), as dinp + (dout * d), for a block as in {@link #gelu}. GELU'(x) =
     * s + 2 x s (1 - s) du/dx with s = sigmoid(2u), du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
     */
    static void geluBackward(float[] x, int xo, float[] e, float[] dout, int go, float[] dinp, int dio, int len) {
        geluExp(x, xo, e, len);
        geluBackwardGivenExp(x, xo, e, dout, go, dinp, dio, len);
    }

    /** dinp += dout * GELU'(x) from x and e = exp(-|2u|). */
    private static void geluBackwardGivenExp(float[] x, int xo, float[] e, float[] dout, int go, float[] dinp, int dio,
                                             int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), ev = FloatVector.fromArray(F, e, i);
            FloatVector x2 = xv.mul(xv);
            FloatVector r = ONE.div(ev.add(ONE)), er = ev.mul(r);                   // sigmoid(|z|), sigmoid(-|z|)
            FloatVector z = x2.mul(V_GELU_CUBIC).fma(xv, xv).mul(V_TWO_GELU_SCALE);     // 2u
            VectorMask<Float> negative = z.compare(VectorOperators.LT, ZERO);
            FloatVector s = r.blend(er, negative);                                // sigmoid(z)
            FloatVector sc = er.blend(r, negative);                               // 1 - sigmoid(z), no cancellation
            FloatVector du = x2.mul(V_DU_CUBIC).add(V_GELU_SCALE);
            FloatVector ssc = s.mul(sc);
            // where the sigmoid saturates (s (1 - s) = 0) the second term is 0, also when x^2 overflows du
            FloatVector d = xv.add(xv).mul(ssc).mul(du).blend(ZERO, ssc.compare(VectorOperators.EQ, ZERO)).add(s);
            FloatVector.fromArray(F, dinp, dio + i).add(FloatVector.fromArray(F, dout, go + i).mul(d)).intoArray(dinp, dio + i);
        }
    }

    /**
     * e[i] = exp(-|2u(x[xo + i])|) for i in [0, len): the first loop of GELU and its derivative;
     * 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), computed as ((x x) c) x + x, then scaled, in every loop.
     *
     * <p>Why 2u is written out in each loop rather than put in a helper: C2 on JDK 17 stops
     * inlining ordinary methods once a compilation reaches its node budget, but always inlines the
     * Vector API's own methods (they are annotated to be). A helper of ours that takes or returns a
     * vector and is cut off gets its vectors boxed on the heap, and the loop around it runs several
     * times slower; a helper that passes only arrays (this one, the loops after it) costs a call.
     */
    private static void geluExp(float[] x, int xo, float[] e, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            exp(xv.mul(xv).mul(V_GELU_CUBIC).fma(xv, xv).mul(V_TWO_GELU_SCALE).abs().neg()).intoArray(e, i);
        }
    }
}
