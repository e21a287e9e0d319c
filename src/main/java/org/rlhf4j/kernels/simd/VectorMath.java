package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.rlhf4j.kernels.scalar.ScalarMath;

/**
 * The composed elementwise functions a vector at a time, written so that no intermediate overflows
 * and no difference cancels: the vector twins of {@link ScalarMath}. Exp and log1p are the Vector
 * API's, which follow {@link Math}'s 1-ulp specification (on x86, Intel SVML routines; the tests
 * state the error measured on this JDK).
 */
final class VectorMath {

    private static final float GELU_SCALE = ScalarMath.GELU_SCALE;
    private static final float GELU_CUBIC = ScalarMath.GELU_CUBIC;

    private VectorMath() {
    }

    /** e^-|x| in (0, 1]: the one exponential the stable sigmoid needs; never overflows. */
    private static FloatVector expNegAbs(FloatVector x) {
        return x.abs().neg().lanewise(VectorOperators.EXP);
    }

    /** 1 / (1 + e). */
    private static FloatVector onePlusInv(FloatVector e) {
        return FloatVector.broadcast(F, 1f).div(e.add(1f));
    }

    /** sigmoid(x) = 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below (e = e^-|x|). NaN stays NaN. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = expNegAbs(x);
        FloatVector r = onePlusInv(e);                   // sigmoid(|x|)
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, 0f)); // sigmoid(-|x|) = e sigmoid(|x|)
    }

    /** log sigmoid(x) = min(x, 0) - log1p(e^-|x|). */
    static FloatVector logSigmoid(FloatVector x) {
        return x.min(0f).sub(expNegAbs(x).lanewise(VectorOperators.LOG1P));
    }

    /** z = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), GELU's argument of the sigmoid. */
    private static FloatVector geluZ(FloatVector x) {
        return x.mul(x).mul(GELU_CUBIC).fma(x, x).mul(2f * GELU_SCALE);
    }

    /** GELU(x) = 0.5 x (1 + tanh u) = x sigmoid(2u): no cancellation in 1 + tanh u for x << 0. */
    static FloatVector gelu(FloatVector x) {
        return x.mul(sigmoid(geluZ(x)));
    }

    /** GELU'(x) = s + 2 x s (1 - s) du/dx with s = sigmoid(2u), du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2). */
    static FloatVector geluDerivative(FloatVector x) {
        FloatVector z = geluZ(x);
        FloatVector e = expNegAbs(z);
        FloatVector r = onePlusInv(e), er = e.mul(r);    // sigmoid(|z|), sigmoid(-|z|)
        VectorMask<Float> negative = z.compare(VectorOperators.LT, 0f);
        FloatVector s = r.blend(er, negative);           // sigmoid(z)
        FloatVector sc = er.blend(r, negative);          // 1 - sigmoid(z), without cancellation
        FloatVector du = x.mul(x).mul(3f * GELU_CUBIC * GELU_SCALE).add(GELU_SCALE);
        FloatVector ssc = s.mul(sc);
        // where the sigmoid saturates (s (1 - s) = 0) the second term is 0, also when x^2 overflows du
        FloatVector term = x.mul(2f).mul(ssc).mul(du).blend(0f, ssc.compare(VectorOperators.EQ, 0f));
        return term.add(s);
    }
}
