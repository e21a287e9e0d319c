package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * GPT-2's tanh GELU and its derivative, one work item per element, in float:
 * {@link #FORWARD} {@code y = x sigmoid(2u)} (= 0.5 x (1 + tanh u), without the cancellation of
 * 1 + tanh u for x << 0), {@code u = sqrt(2/pi) (x + 0.044715 x^3)};
 * {@link #BACKWARD} {@code dx += dy (s + 2 x s (1 - s) du/dx)}, {@code s = sigmoid(2u)},
 * {@code 1 - s} computed as sigmoid(-2u), {@code du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)}; the
 * formulas of ScalarMath, whose doubles become floats here.
 */
final class GeluKernel extends Kernel {

    static final int FORWARD = 0, BACKWARD = 1;
    /** ScalarMath.GELU_SCALE and GELU_CUBIC, as floats. */
    static final float SCALE = 0.7978845608f, CUBIC = 0.044715f;

    float[] out, in, dinp, dout;
    int outOff, inOff, dinpOff, doutOff, n, mode;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float x = in[inOff + i];
            float z = 2f * SCALE * (x + CUBIC * x * x * x);
            float s = sigmoid(z);
            if (mode == FORWARD) {
                out[outOff + i] = x * s;
            } else {
                float sc = sigmoid(-z);
                float du = SCALE * (1f + 3f * CUBIC * x * x);
                float ssc = s * sc; // 0 where the sigmoid saturates
                float d = ssc == 0f ? s : s + 2f * x * ssc * du;
                dinp[dinpOff + i] = dinp[dinpOff + i] + dout[doutOff + i] * d;
            }
        }
    }

    /**
     * 1 / (1 + e^-z) without overflow: e^z / (1 + e^z) for negative z. One expression, not a variable
     * assigned in two branches: Aparapi declares such a variable inside the first branch only, and
     * the OpenCL compiler then finds it undeclared in the return.
     */
    private float sigmoid(float z) {
        float e = exp(-abs(z)); // e^-|z| in (0, 1]: never overflows
        return z >= 0f ? 1f / (1f + e) : e / (1f + e);
    }
}
