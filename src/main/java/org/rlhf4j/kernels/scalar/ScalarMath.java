package org.rlhf4j.kernels.scalar;

import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Unary;

/**
 * The elementwise functions and their derivatives, one value at a time: the definition that every
 * kernel family is tested against. Transcendentals go through double-precision {@link Math} and are
 * rounded once to float.
 */
public final class ScalarMath {

    /** sqrt(2/pi), the constant of GPT-2's tanh GELU. */
    public static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);
    /** The cubic coefficient of GPT-2's tanh GELU. */
    public static final float GELU_CUBIC = 0.044715f;

    private ScalarMath() {
    }

    /** a op b. */
    public static float binary(Binary op, float a, float b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MIN: return a <= b || Float.isNaN(a) ? a : b;
            case MAX: return a >= b || Float.isNaN(a) ? a : b;
            case POW: return (float) Math.pow(a, b);
            default: throw new AssertionError(op);
        }
    }

    /** d(a op b)/da when {@code wrtA}, else d(a op b)/db. */
    public static float binaryDerivative(Binary op, boolean wrtA, float a, float b) {
        switch (op) {
            case ADD: return 1f;
            case SUB: return wrtA ? 1f : -1f;
            case MUL: return wrtA ? b : a;
            case DIV: return wrtA ? 1f / b : -(a / b) / b; // not -a / (b * b): b * b over/underflows first
            // MIN, MAX: the gradient goes to the operand the forward pass returned (a on ties and NaN)
            case MIN: return (a <= b || Float.isNaN(a)) == wrtA ? 1f : 0f;
            case MAX: return (a >= b || Float.isNaN(a)) == wrtA ? 1f : 0f;
            case POW:
                if (wrtA) {
                    return b == 0f ? 0f : (float) (b * Math.pow(a, b - 1.0));
                }
                return a <= 0f ? 0f : (float) (Math.pow(a, b) * Math.log(a));
            default: throw new AssertionError(op);
        }
    }

    /** f(x; p, q). */
    public static float unary(Unary op, float p, float q, float x) {
        switch (op) {
            case NEG: return -x;
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case TANH: return (float) Math.tanh(x);
            case SIGMOID: return sigmoid(x);
            case RELU: return x <= 0f ? 0f : x; // NaN stays NaN, as in PyTorch
            case GELU: // 0.5 x (1 + tanh u) = x sigmoid(2u): no cancellation in 1 + tanh u for x << 0
                return (float) (x * sigmoid(2.0 * geluU(x)));
            case SQRT: return (float) Math.sqrt(x);
            case LOG_SIGMOID: // log sigmoid(x) = min(x, 0) - log(1 + e^-|x|): no overflow for any x
                return (float) (Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs((double) x))));
            case ABS: return Math.abs(x);
            case SCALE: return p * x;
            case ADD_SCALAR: return x + p;
            case POW_SCALAR: return (float) Math.pow(x, p);
            case CLAMP: return Math.min(Math.max(x, p), q);
            default: throw new AssertionError(op);
        }
    }

    /** f'(x; p, q), given x and the forward result y = f(x). */
    public static float unaryDerivative(Unary op, float p, float q, float x, float y) {
        switch (op) {
            case NEG: return -1f;
            case EXP: return y;
            case LOG: return 1f / x;
            case TANH: return 1f - y * y;
            case SIGMOID: return y * (1f - y);
            case RELU: return x > 0f ? 1f : 0f;
            case GELU: {
                // d/dx 0.5 x (1 + tanh u) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) du/dx
                //                         = s + 2 x s (1 - s) du/dx,  s = sigmoid(2u),
                // du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)
                double u = geluU(x);
                double s = sigmoid(2.0 * u), sc = sigmoid(-2.0 * u); // sc = 1 - s without cancellation
                double du = GELU_SCALE * (1.0 + 3.0 * GELU_CUBIC * (double) x * x);
                double ssc = s * sc; // 0 where the sigmoid saturates: then so is the term, even at x = +-inf
                return (float) (ssc == 0.0 ? s : s + 2.0 * x * ssc * du);
            }
            case SQRT: return 0.5f / y;
            case LOG_SIGMOID: return sigmoid(-x); // d/dx log sigmoid(x) = 1 - sigmoid(x)
            case ABS: return x > 0f ? 1f : (x < 0f ? -1f : 0f);
            case SCALE: return p;
            case ADD_SCALAR: return 1f;
            case POW_SCALAR: return p == 0f ? 0f : (float) (p * Math.pow(x, p - 1.0));
            case CLAMP: return x >= p && x <= q ? 1f : 0f;
            default: throw new AssertionError(op);
        }
    }

    /** 1 / (1 + e^-x) without overflow: e^x / (1 + e^x) for negative x. */
    public static float sigmoid(float x) {
        return (float) sigmoid((double) x);
    }

    /** The double-precision sigmoid behind {@link #sigmoid(float)}. */
    static double sigmoid(double x) {
        if (x >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** GELU's inner argument u = sqrt(2/pi) (x + 0.044715 x^3), in double. */
    private static double geluU(float x) {
        return GELU_SCALE * (x + GELU_CUBIC * (double) x * x * x);
    }
}
