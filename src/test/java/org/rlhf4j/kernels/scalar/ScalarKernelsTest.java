package org.rlhf4j.kernels.scalar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;

/**
 * Known answers that pin the scalar reference itself, computed by hand or in double precision
 * from the textbook formula. Tolerances: exact where the answer is representable and the
 * operations exact; otherwise a few float ulps of a double-precision value (each is stated).
 */
class ScalarKernelsTest {

    private static final Kernels K = new ScalarKernels(Parallel.sequential());
    private static final double U = 0x1p-24;

    /** |actual - expected| <= ulps float ulps of expected. */
    private static void assertUlps(double expected, float actual, int ulps, String what) {
        double tol = ulps * Math.ulp((float) expected);
        assertTrue(Math.abs(actual - expected) <= tol, what + ": " + actual + " vs " + expected + " (+-" + tol + ")");
    }

    // ------------------------------------------------------------------------------------------
    // matmul
    // ------------------------------------------------------------------------------------------

    private static final float[] A23 = {1, 2, 3, 4, 5, 6};       // (2,3)
    private static final float[] B32 = {7, 8, 9, 10, 11, 12};    // (3,2)
    private static final float[] AB = {58, 64, 139, 154};        // A23 . B32 by hand

    @Test
    void matmulPlainAndTransposed() {
        float[] out = new float[4];
        K.matmul(out, 0, A23, 0, B32, 0, 1, 2, 3, 2, false, false, false, false);
        assertArrayEquals(AB, out);
        float[] aT = {1, 4, 2, 5, 3, 6};   // A stored (3,2)
        float[] bT = {7, 9, 11, 8, 10, 12}; // B stored (2,3)
        K.matmul(out, 0, aT, 0, B32, 0, 1, 2, 3, 2, true, false, false, false);
        assertArrayEquals(AB, out);
        K.matmul(out, 0, A23, 0, bT, 0, 1, 2, 3, 2, false, true, false, false);
        assertArrayEquals(AB, out);
        K.matmul(out, 0, aT, 0, bT, 0, 1, 2, 3, 2, true, true, false, false);
        assertArrayEquals(AB, out);
    }

    @Test
    void matmulAccumulatesAndBatchesWithSharedB() {
        float[] out = {1, 1, 1, 1};
        K.matmul(out, 0, A23, 0, B32, 0, 1, 2, 3, 2, false, false, false, true);
        assertArrayEquals(new float[] {59, 65, 140, 155}, out);
        float[] a2 = new float[12];
        System.arraycopy(A23, 0, a2, 0, 6);
        for (int i = 0; i < 6; i++) {
            a2[6 + i] = -A23[i];
        }
        float[] out2 = new float[1 + 8];
        K.matmul(out2, 1, a2, 0, B32, 0, 2, 2, 3, 2, false, false, true, false);
        assertArrayEquals(new float[] {0, 58, 64, 139, 154, -58, -64, -139, -154}, out2);
    }

    // ------------------------------------------------------------------------------------------
    // elementwise
    // ------------------------------------------------------------------------------------------

    @Test
    void binaryBroadcastsBiasAndRowScalars() {
        int[] shape = {2, 3};
        float[] out = new float[6];
        K.binary(Binary.ADD, out, 0, A23, 0, new int[] {3, 1}, new float[] {10, 20, 30}, 0, new int[] {0, 1}, shape);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, out);
        K.binary(Binary.MUL, out, 0, A23, 0, new int[] {3, 1}, new float[] {2, -1}, 0, new int[] {1, 0}, shape);
        assertArrayEquals(new float[] {2, 4, 6, -4, -5, -6}, out);
        K.binary(Binary.SUB, out, 0, new float[] {1}, 0, new int[] {0, 0}, A23, 0, new int[] {3, 1}, shape);
        assertArrayEquals(new float[] {0, -1, -2, -3, -4, -5}, out);
        // transposed a: a stored (3,2) read as (2,3)
        K.binary(Binary.DIV, out, 0, new float[] {1, 4, 2, 5, 3, 6}, 0, new int[] {1, 2}, new float[] {2}, 0,
                new int[] {0, 0}, shape);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, out);
    }

    @Test
    void binaryMinMaxPowAndTheirNaNRules() {
        float nan = Float.NaN;
        float[] a = {1, 5, nan, 2, -0f, 2}, b = {3, 4, 1, nan, 0f, 3}, out = new float[6];
        int[] s = {1};
        int[] shape = {6};
        K.binary(Binary.MIN, out, 0, a, 0, s, b, 0, s, shape);
        assertArrayEquals(new float[] {1, 4, nan, nan, -0f, 2}, out);
        K.binary(Binary.MAX, out, 0, a, 0, s, b, 0, s, shape);
        assertArrayEquals(new float[] {3, 5, nan, nan, -0f, 3}, out); // ties go to a: max(-0, +0) = a = -0
        K.binary(Binary.POW, out, 0, a, 0, s, b, 0, s, shape);
        assertEquals(1f, out[0]);
        assertEquals(625f, out[1]);
        assertEquals(8f, out[5]);
    }

    @Test
    void binaryBackwardKnownDerivatives() {
        int[] s = {1};
        int[] shape = {1};
        float[] dx = new float[1], dout = {2f};
        K.binaryBackward(Binary.MUL, true, dx, 0, dout, 0, new float[] {3}, 0, s, new float[] {5}, 0, s, shape);
        assertEquals(10f, dx[0]);
        K.binaryBackward(Binary.DIV, false, dx, 0, dout, 0, new float[] {3}, 0, s, new float[] {2}, 0, s, shape);
        assertEquals(-1.5f, dx[0]); // d(a/b)/db = -a/b^2 = -3/4, times 2
        // -a/b^2 for a = 1e30, b = 1e20 is -1e-10: b * b overflows float, (a / b) / b does not
        K.binaryBackward(Binary.DIV, false, dx, 0, new float[] {1}, 0, new float[] {1e30f}, 0, s, new float[] {1e20f}, 0, s, shape);
        assertUlps(-1e-10, dx[0], 2, "d(a/b)/db at 1e30, 1e20");
        K.binaryBackward(Binary.POW, true, dx, 0, new float[] {1}, 0, new float[] {3}, 0, s, new float[] {2}, 0, s, shape);
        assertEquals(6f, dx[0]);
        K.binaryBackward(Binary.POW, false, dx, 0, new float[] {1}, 0, new float[] {2}, 0, s, new float[] {3}, 0, s, shape);
        assertUlps(8 * Math.log(2), dx[0], 1, "d(a^b)/db");
        // MIN: a NaN a is what forward returned, so a gets the gradient
        K.binaryBackward(Binary.MIN, true, dx, 0, new float[] {1}, 0, new float[] {Float.NaN}, 0, s, new float[] {1}, 0, s, shape);
        assertEquals(1f, dx[0]);
        K.binaryBackward(Binary.MIN, false, dx, 0, new float[] {1}, 0, new float[] {Float.NaN}, 0, s, new float[] {1}, 0, s, shape);
        assertEquals(0f, dx[0]);
    }

    private static float unary(Unary op, float p, float q, float x) {
        float[] out = new float[1];
        K.unary(op, p, q, out, 0, new float[] {x}, 0, 1);
        return out[0];
    }

    private static float derivative(Unary op, float p, float q, float x) {
        float[] y = new float[1], d = new float[1];
        K.unary(op, p, q, y, 0, new float[] {x}, 0, 1);
        K.unaryBackward(op, p, q, d, 0, new float[] {1f}, 0, new float[] {x}, 0, y, 0, 1);
        return d[0];
    }

    /**
     * GPT-2's tanh GELU in double, textbook form (accurate where 1 + tanh u does not cancel), with
     * the float constants sqrt(2/pi) and 0.044715 that the reference (and PyTorch's float kernel)
     * use: with the exact constants gelu(-3) moves by about 2 float ulps.
     */
    private static double geluTextbook(double x) {
        return 0.5 * x * (1 + Math.tanh(ScalarMath.GELU_SCALE * (x + ScalarMath.GELU_CUBIC * x * x * x)));
    }

    @Test
    void unaryKnownValues() {
        assertEquals(-2f, unary(Unary.NEG, 0, 0, 2f));
        assertEquals(1f, unary(Unary.EXP, 0, 0, 0f));
        assertUlps(Math.E, unary(Unary.EXP, 0, 0, 1f), 1, "exp 1");
        assertEquals(0f, unary(Unary.LOG, 0, 0, 1f));
        assertUlps(Math.log(10), unary(Unary.LOG, 0, 0, 10f), 1, "log 10");
        assertTrue(Float.isNaN(unary(Unary.LOG, 0, 0, -1f)));
        assertEquals(0f, unary(Unary.TANH, 0, 0, 0f));
        assertEquals(1f, unary(Unary.TANH, 0, 0, 20f));
        assertUlps(Math.tanh(0.5), unary(Unary.TANH, 0, 0, 0.5f), 1, "tanh 0.5");
        assertEquals(0.5f, unary(Unary.SIGMOID, 0, 0, 0f));
        assertUlps(Math.exp(-100), unary(Unary.SIGMOID, 0, 0, -100f), 1, "sigmoid -100 = e^-100 (no 1/(1+inf))");
        assertEquals(1f, unary(Unary.SIGMOID, 0, 0, 100f));
        assertEquals(0f, unary(Unary.RELU, 0, 0, -2f));
        assertEquals(3f, unary(Unary.RELU, 0, 0, 3f));
        assertTrue(Float.isNaN(unary(Unary.RELU, 0, 0, Float.NaN)), "relu keeps NaN, as PyTorch");
        assertEquals(0f, unary(Unary.GELU, 0, 0, 0f));
        assertUlps(0.8411919906082768, unary(Unary.GELU, 0, 0, 1f), 1, "gelu 1"); // published value
        assertUlps(geluTextbook(-3), unary(Unary.GELU, 0, 0, -3f), 2, "gelu -3");
        assertUlps(geluTextbook(2.5), unary(Unary.GELU, 0, 0, 2.5f), 1, "gelu 2.5");
        // gelu(-8) = -8 sigmoid(2u) ~ -3e-21: the textbook form cancels to 0 in double, the reference must not
        double u = ScalarMath.GELU_SCALE * (-8 + ScalarMath.GELU_CUBIC * -512.0);
        assertUlps(-8 * Math.exp(2 * u) / (1 + Math.exp(2 * u)), unary(Unary.GELU, 0, 0, -8f), 4, "gelu -8");
        assertEquals(2f, unary(Unary.SQRT, 0, 0, 4f));
        assertUlps(-Math.log(2), unary(Unary.LOG_SIGMOID, 0, 0, 0f), 1, "log sigmoid 0");
        assertEquals(-100f, unary(Unary.LOG_SIGMOID, 0, 0, -100f));
        assertUlps(-Math.exp(-100), unary(Unary.LOG_SIGMOID, 0, 0, 100f), 1, "log sigmoid 100");
        assertEquals(-1000f, unary(Unary.LOG_SIGMOID, 0, 0, -1000f)); // e^1000 never formed
        assertEquals(3f, unary(Unary.ABS, 0, 0, -3f));
        assertEquals(-7.5f, unary(Unary.SCALE, 2.5f, 0, -3f));
        assertEquals(-0.5f, unary(Unary.ADD_SCALAR, 2.5f, 0, -3f));
        assertEquals(8f, unary(Unary.POW_SCALAR, 3f, 0, 2f));
        assertEquals(-1f, unary(Unary.CLAMP, -1f, 2f, -5f));
        assertEquals(2f, unary(Unary.CLAMP, -1f, 2f, 5f));
        assertEquals(0.5f, unary(Unary.CLAMP, -1f, 2f, 0.5f));
    }

    @Test
    void unaryKnownDerivatives() {
        assertEquals(-1f, derivative(Unary.NEG, 0, 0, 3f));
        assertEquals(1f, derivative(Unary.EXP, 0, 0, 0f));
        assertEquals(0.25f, derivative(Unary.LOG, 0, 0, 4f));
        assertEquals(1f, derivative(Unary.TANH, 0, 0, 0f));
        assertEquals(0.25f, derivative(Unary.SIGMOID, 0, 0, 0f));
        assertEquals(0f, derivative(Unary.RELU, 0, 0, 0f)); // subgradient 0 at the kink
        assertEquals(1f, derivative(Unary.RELU, 0, 0, 2f));
        assertEquals(0.5f, derivative(Unary.GELU, 0, 0, 0f));
        double h = 1e-6; // central difference of the double textbook GELU at 1
        assertUlps((geluTextbook(1 + h) - geluTextbook(1 - h)) / (2 * h), derivative(Unary.GELU, 0, 0, 1f), 64, "gelu' 1");
        assertEquals(1f, derivative(Unary.GELU, 0, 0, Float.POSITIVE_INFINITY));
        assertEquals(0.25f, derivative(Unary.SQRT, 0, 0, 4f));
        assertEquals(0.5f, derivative(Unary.LOG_SIGMOID, 0, 0, 0f));
        assertEquals(1f, derivative(Unary.LOG_SIGMOID, 0, 0, -200f));
        assertEquals(-1f, derivative(Unary.ABS, 0, 0, -2f));
        assertEquals(0f, derivative(Unary.ABS, 0, 0, 0f));
        assertEquals(2.5f, derivative(Unary.SCALE, 2.5f, 0, 7f));
        assertEquals(1f, derivative(Unary.ADD_SCALAR, 2.5f, 0, 7f));
        assertEquals(12f, derivative(Unary.POW_SCALAR, 3f, 0, 2f));
        assertEquals(1f, derivative(Unary.CLAMP, -1f, 2f, 2f)); // passes at the bounds, as PyTorch
        assertEquals(0f, derivative(Unary.CLAMP, -1f, 2f, 2.5f));
    }

    @Test
    void whereCopyStridedAndAccumulateStrided() {
        float[] out = new float[6];
        K.where(out, 0, new float[] {1, 0}, 0, new int[] {1, 0}, A23, 0, new int[] {3, 1},
                new float[] {-1}, 0, new int[] {0, 0}, new int[] {2, 3});
        assertArrayEquals(new float[] {1, 2, 3, -1, -1, -1}, out);
        K.copyStrided(out, 0, A23, 0, new int[] {1, 3}, new int[] {3, 2}); // transpose (2,3) -> (3,2)
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out);
        float[] bias = {100, 200, 300};
        K.accumulateStrided(bias, 0, new int[] {0, 1}, A23, 0, new int[] {2, 3}); // sum over rows
        assertArrayEquals(new float[] {105, 207, 309}, bias);
    }

    @Test
    void addScaledAndFill() {
        float[] dst = {1, 2, 3};
        K.addScaled(dst, 1, new float[] {10, 20}, 0, -0.5f, 2);
        assertArrayEquals(new float[] {1, -3, -7}, dst);
        K.fill(dst, 1, 9f, 2);
        assertArrayEquals(new float[] {1, 9, 9}, dst);
    }

    // ------------------------------------------------------------------------------------------
    // reductions
    // ------------------------------------------------------------------------------------------

    @Test
    void sumAndMaxOverEachAxis() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // (2, 3, 2)
        float[] out = new float[4];
        K.sumAxis(out, 0, x, 0, 2, 3, 2);
        assertArrayEquals(new float[] {9, 12, 27, 30}, out);
        float[] rows = new float[2];
        K.sumAxis(rows, 0, x, 0, 2, 6, 1);
        assertArrayEquals(new float[] {21, 57}, rows);
        float[] d = new float[12];
        K.sumAxisBackward(d, 0, new float[] {1, 2, 3, 4}, 0, 2, 3, 2);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, d);
        float[] y = {3, 7, 7, 1, Float.NaN, 5, Float.NaN, 2}; // (2, 4): ties -> first, NaN -> first NaN
        int[] arg = new int[2];
        K.maxAxis(out, 0, arg, 0, y, 0, 2, 4, 1);
        assertEquals(7f, out[0]);
        assertEquals(1, arg[0]);
        assertTrue(Float.isNaN(out[1]));
        assertEquals(0, arg[1]);
        float[] dy = new float[8];
        K.maxAxisBackward(dy, 0, new float[] {5, 6}, 0, arg, 0, 2, 4, 1);
        assertArrayEquals(new float[] {0, 5, 0, 0, 6, 0, 0, 0}, dy);
        assertThrows(IllegalArgumentException.class, () -> K.maxAxis(out, 0, arg, 0, y, 0, 2, 0, 1));
    }

    // ------------------------------------------------------------------------------------------
    // softmax family
    // ------------------------------------------------------------------------------------------

    @Test
    void softmaxAndLogSoftmaxOfOneTwoThree() {
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        float[] out = new float[3];
        K.softmaxForward(out, 0, new float[] {1, 2, 3}, 0, 1, 3);
        for (int j = 0; j < 3; j++) {
            assertUlps(Math.exp(j + 1) / z, out[j], 3, "softmax " + j);
        }
        K.logSoftmaxForward(out, 0, new float[] {1, 2, 3}, 0, 1, 3);
        for (int j = 0; j < 3; j++) {
            assertUlps(j + 1 - Math.log(z), out[j], 3, "log softmax " + j);
        }
    }

    @Test
    void softmaxIsShiftInvariantAndFiniteForHugeLogits() {
        // entries that are multiples of 2^-10, so x + 1e4 is exact and the shift changes no difference x - max
        float[] x = {0.5f, -1.25f, 2f, 3.75f, -7.125f, 0f};
        float[] shifted = new float[x.length], scaled = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i] + 1e4f;
            scaled[i] = x[i] * 1e4f;
        }
        float[] a = new float[x.length], b = new float[x.length], c = new float[x.length];
        K.softmaxForward(a, 0, x, 0, 1, x.length);
        K.softmaxForward(b, 0, shifted, 0, 1, x.length);
        for (int i = 0; i < x.length; i++) { // bound for the same row summed twice: (2n + 8) U relative
            assertEquals(a[i], b[i], (2 * x.length + 8) * U * a[i], "softmax(x + 1e4) = softmax(x) at " + i);
        }
        K.logSoftmaxForward(a, 0, x, 0, 1, x.length);
        K.logSoftmaxForward(b, 0, shifted, 0, 1, x.length);
        K.logSoftmaxForward(c, 0, scaled, 0, 1, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(a[i], b[i], (2 * x.length + 8) * U * (1 + Math.abs(a[i])) + 1e4 * U * 2, "log softmax shift " + i);
            assertTrue(Float.isFinite(c[i]), "log softmax of 1e4 x finite");
        }
        K.softmaxForward(c, 0, scaled, 0, 1, x.length);
        assertEquals(1f, c[3]);
        assertEquals(0f, c[0]);
    }

    @Test
    void fullyMaskedRowsGiveZerosNotNaN() {
        float inf = Float.NEGATIVE_INFINITY;
        float[] x = {inf, inf, inf, 0, inf, 0}, out = new float[6];
        K.softmaxForward(out, 0, x, 0, 2, 3);
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 0, 0.5f}, out);
        K.logSoftmaxForward(out, 0, x, 0, 2, 3);
        assertArrayEquals(new float[] {inf, inf, inf, (float) -Math.log(2), inf, (float) -Math.log(2)}, out);
    }

    @Test
    void softmaxBackwardKnownAnswer() {
        float[] y = {0.25f, 0.75f}, dout = {1f, 0f}, dinp = {0f, 0f};
        K.softmaxBackward(dinp, 0, dout, 0, y, 0, 1, 2);
        // dot = 0.25; dinp = y (dout - dot) = (0.25 * 0.75, 0.75 * -0.25)
        assertArrayEquals(new float[] {0.1875f, -0.1875f}, dinp);
        float[] logy = {(float) Math.log(0.25), (float) Math.log(0.75)}, dl = {0f, 0f};
        K.logSoftmaxBackward(dl, 0, new float[] {1f, 1f}, 0, logy, 0, 1, 2);
        assertEquals(0.5f, dl[0], 4 * U); // 1 - 0.25 * 2
        assertEquals(-0.5f, dl[1], 4 * U);
    }

    @Test
    void crossEntropyOfLargeLogitsIs500() {
        float[] logits = {1000, 2000, 2500}, loss = new float[1], lse = new float[1];
        K.crossEntropyForward(loss, 0, lse, 0, logits, 0, new int[] {1}, 0, 1, 3, -100);
        assertEquals(500f, loss[0]); // exact: lse = 2500 + log(1 + e^-500 + e^-1500) rounds to 2500
        assertEquals(2500f, lse[0]);
        float[] d = new float[3];
        K.crossEntropyBackward(d, 0, new float[] {1f}, 0, logits, 0, lse, 0, new int[] {1}, 0, 1, 3, -100);
        assertArrayEquals(new float[] {0f, -1f, 1f}, d); // softmax - one-hot, exactly representable here
    }

    @Test
    void crossEntropyKnownAnswerIgnoreIndexAndBadTargets() {
        float[] logits = {1, 2, 3, 5, 5, 5}, loss = new float[2], lse = new float[2];
        K.crossEntropyForward(loss, 0, lse, 0, logits, 0, new int[] {0, -1}, 0, 2, 3, -1);
        assertUlps(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1, loss[0], 2, "ce row 0");
        assertEquals(0f, loss[1], "an ignored row has loss 0");
        float[] d = new float[6];
        K.crossEntropyBackward(d, 0, new float[] {1f, 1f}, 0, logits, 0, lse, 0, new int[] {0, -1}, 0, 2, 3, -1);
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(d, 3, 6), "an ignored row has zero gradient");
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertUlps(Math.exp(1) / z - 1, d[0], 4, "d logit target");
        assertUlps(Math.exp(3) / z, d[2], 4, "d logit other");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> K.crossEntropyForward(loss, 0, lse, 0, logits, 0, new int[] {0, 3}, 0, 2, 3, -1));
        assertTrue(e.getMessage().contains("target 3") && e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> K.crossEntropyBackward(d, 0, new float[] {1f, 1f}, 0, logits, 0, lse, 0, new int[] {-7, 0}, 0, 2, 3, -1));
        assertTrue(e.getMessage().contains("target -7") && e.getMessage().contains("row 0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------
    // layer norm
    // ------------------------------------------------------------------------------------------

    @Test
    void layerNormKnownAnswer() {
        float[] x = {1, 2, 3, 4}, w = {1, 1, 2, 1}, b = {0, 0, 0, 1}, out = new float[4];
        float[] mean = new float[1], rstd = new float[1];
        K.layerNormForward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, 1, 4, 1e-5f);
        double r = 1 / Math.sqrt(1.25 + 1e-5); // mean 2.5, biased variance 1.25
        assertEquals(2.5f, mean[0]);
        assertUlps(r, rstd[0], 1, "rstd");
        double[] expected = {-1.5 * r, -0.5 * r, 2 * 0.5 * r, 1.5 * r + 1};
        for (int c = 0; c < 4; c++) {
            assertUlps(expected[c], out[c], 3, "out " + c);
        }
        // backward with dout = e_0: dx = r (g - mean(g) - xhat mean(g xhat)), g = w dout
        float[] dx = new float[4], dw = new float[4], db = new float[4];
        K.layerNormBackward(dx, 0, dw, 0, db, 0, new float[] {1, 0, 0, 0}, 0, x, 0, w, 0, mean, 0, rstd, 0, 1, 4);
        double[] xhat = {-1.5 * r, -0.5 * r, 0.5 * r, 1.5 * r};
        double gMean = 0.25, gxMean = xhat[0] / 4;
        for (int c = 0; c < 4; c++) {
            double g = c == 0 ? 1 : 0;
            assertEquals(r * (g - gMean - xhat[c] * gxMean), dx[c], 8 * U, "dx " + c);
        }
        assertArrayEquals(new float[] {(float) xhat[0], 0, 0, 0}, dw, (float) (4 * U));
        assertArrayEquals(new float[] {1, 0, 0, 0}, db);
    }

    @Test
    void layerNormOfAConstantRowIsItsBiasWithFiniteGradients() {
        int C = 768;
        float[] x = new float[2 * C], w = new float[C], b = new float[C];
        Arrays.fill(x, 0, C, 1000.1f); // a float sum of 768 copies rounds: its mean would not be 1000.1
        Arrays.fill(x, C, 2 * C, -3.7f);
        for (int c = 0; c < C; c++) {
            w[c] = 1 + c % 5;
            b[c] = c * 0.01f - 2;
        }
        float[] out = new float[2 * C], mean = new float[2], rstd = new float[2];
        K.layerNormForward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, b, 0, 2, C, 1e-5f);
        for (int i = 0; i < 2 * C; i++) {
            assertEquals(b[i % C], out[i], "constant row " + i / C + " returns its bias exactly, at " + i % C);
        }
        float[] dout = new float[2 * C];
        for (int i = 0; i < dout.length; i++) {
            dout[i] = (i % 7) - 3f;
        }
        float[] dx = new float[2 * C], dw = new float[C], db = new float[C];
        K.layerNormBackward(dx, 0, dw, 0, db, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, 2, C);
        for (float v : dx) {
            assertTrue(Float.isFinite(v));
        }
        for (int c = 0; c < C; c++) {
            assertEquals(0f, dw[c], "xhat is 0, so dweight is 0");
            assertEquals(dout[c] + dout[C + c], db[c]);
        }
    }

    // ------------------------------------------------------------------------------------------
    // embedding, dropout
    // ------------------------------------------------------------------------------------------

    @Test
    void embeddingGathersAndScatterAddsRepeatedIds() {
        float[] table = {1, 2, 3, 4, 5, 6}; // (V=3, C=2)
        int[] ids = {2, 0, 2};
        float[] out = new float[6];
        K.embeddingForward(out, 0, table, 0, ids, 0, 3, 3, 2);
        assertArrayEquals(new float[] {5, 6, 1, 2, 5, 6}, out);
        float[] dtable = new float[6];
        K.embeddingBackward(dtable, 0, new float[] {1, 10, 100, 1000, 10000, 100000}, 0, ids, 0, 3, 3, 2);
        assertArrayEquals(new float[] {100, 1000, 0, 0, 10001, 100010}, dtable);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> K.embeddingForward(out, 0, table, 0, new int[] {0, 3}, 0, 2, 3, 2));
        assertTrue(e.getMessage().contains("id 3") && e.getMessage().contains("position 1"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> K.embeddingBackward(dtable, 0, out, 0, new int[] {-1}, 0, 1, 3, 2));
        assertTrue(e.getMessage().contains("id -1"), e.getMessage());
    }

    @Test
    void dropoutKeepsAboutOneMinusPScaledAndIsReproducible() {
        int n = 100_000;
        float p = 0.3f;
        float[] x = new float[n], out = new float[n], mask = new float[n];
        Arrays.fill(x, 2f);
        K.dropoutForward(out, 0, mask, 0, x, 0, n, p, 42L);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(mask[i] == 0f || mask[i] == 1f / (1f - p), "mask value " + mask[i]);
            assertEquals(x[i] * mask[i], out[i]);
            kept += mask[i] != 0f ? 1 : 0;
        }
        // kept ~ Binomial(n, 1 - p): within 5 standard deviations (a false alarm about once in 3.5 million)
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * (1 - p), kept, 5 * sd, "kept count");
        float[] again = new float[n], mask2 = new float[n];
        K.dropoutForward(again, 0, mask2, 0, x, 0, n, p, 42L);
        assertArrayEquals(mask, mask2, "same seed, same mask");
        K.dropoutForward(again, 0, mask2, 0, x, 0, n, p, 43L);
        assertNotEquals(Arrays.hashCode(mask), Arrays.hashCode(mask2), "another seed, another mask");
        K.dropoutForward(again, 0, mask2, 0, x, 0, n, 0f, 42L);
        assertArrayEquals(x, again, "p = 0 keeps everything");
        assertThrows(IllegalArgumentException.class, () -> K.dropoutForward(out, 0, mask, 0, x, 0, n, 1f, 1L));
        assertThrows(IllegalArgumentException.class, () -> K.dropoutForward(out, 0, mask, 0, x, 0, n, Float.NaN, 1L));
    }
}
