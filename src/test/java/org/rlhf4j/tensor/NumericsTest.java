package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Numerical behaviour at the tensor level: large logits, constant rows, all-ignored batches. */
class NumericsTest {

    private static void assertFinite(float[] v, String what) {
        for (float f : v) {
            assertTrue(Float.isFinite(f), what + " has a non-finite value: " + java.util.Arrays.toString(v));
        }
    }

    @Test
    void crossEntropyOfHugeLogitsIsExact() {
        Tensor logits = Tensor.of(new float[] {1000f, 2000f, 2500f}, 1, 3).requiresGrad(true);
        Tensor loss = logits.crossEntropy(new int[] {1}, -100);
        // logsumexp = 2500 + log(1 + e^-500 + e^-1500) = 2500 in float; loss = 2500 - 2000
        assertEquals(500f, loss.item());
        loss.backward();
        // softmax - onehot = [e^-1500, e^-500 - 1, 1] = [0, -1, 1]
        assertArrayEquals(new float[] {0f, -1f, 1f}, logits.grad().toArray(), 1e-6f);
    }

    @Test
    void softmaxIsShiftInvariantAtPlusTenThousand() {
        // multiples of 1/64 stay exact after adding 1e4 (float spacing there is 2^-10), so the shifted
        // input is exactly x + 1e4 and the max-subtraction gives back exactly x - max(x)
        float[] x = new float[24], shifted = new float[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 37) % 23 - 11) / 64f * 7f;
            shifted[i] = x[i] + 1e4f;
        }
        assertArrayEquals(Tensor.of(x, 4, 6).softmax().toArray(), Tensor.of(shifted, 4, 6).softmax().toArray(), 0f);
        // log-softmax is x - lse with lse = m + log(sum) rounded at the size of m = 1e4, where floats are
        // 2^-10 apart: the kernels give it to within that spacing (not exactly; see docs/engine-tensor.md)
        assertArrayEquals(Tensor.of(x, 4, 6).logSoftmax().toArray(), Tensor.of(shifted, 4, 6).logSoftmax().toArray(),
                Math.ulp(1e4f));
    }

    @Test
    void softmaxFamilyStaysFiniteForLogitsScaledByTenThousand() {
        float[] x = {0.3f, -1.2f, 2.2f, 0.9f, -0.4f, 1.1f};
        Tensor big = Tensor.of(x, 2, 3).scale(1e4f).detach().requiresGrad(true);
        Tensor p = big.softmax();
        Tensor lp = big.logSoftmax();
        Tensor ce = big.crossEntropy(new int[] {0, 2}, -100);
        p.mul(Tensor.of(x, 2, 3)).sum().add(lp.mul(Tensor.of(x, 2, 3)).sum()).add(ce).backward();
        assertFinite(p.toArray(), "softmax");
        assertFinite(lp.toArray(), "logSoftmax");
        assertFinite(new float[] {ce.item()}, "crossEntropy");
        assertFinite(big.grad().toArray(), "gradient");
        assertEquals(1f, p.sum(1, false).toArray()[0], 1e-6f);
    }

    @Test
    void layerNormOfAConstantRowReturnsItsBiasWithFiniteGradients() {
        float[] row = new float[8];
        java.util.Arrays.fill(row, 0.75f); // mean exact, so x - mean = 0 and xhat = 0
        float[] w = {0.5f, 1.5f, -1f, 2f, 0.25f, 1f, 3f, -0.5f}, b = {0.1f, -0.2f, 0.3f, 0f, 1f, -1f, 2f, 0.5f};
        Tensor x = Tensor.of(row, 1, 8).requiresGrad(true);
        Tensor weight = Tensor.of(w, 8).requiresGrad(true), bias = Tensor.of(b, 8).requiresGrad(true);
        Tensor y = x.layerNorm(weight, bias, 1e-5f);
        assertArrayEquals(b, y.toArray(), 0f);
        y.mul(Tensor.of(w, 1, 8)).sum().backward();
        assertFinite(x.grad().toArray(), "dx");
        assertFinite(weight.grad().toArray(), "dweight");
        assertArrayEquals(w, bias.grad().toArray(), 0f);
        // rows whose float mean is not exact (0.1 * 3) still give the bias to within rstd * ulp
        Tensor x3 = Tensor.of(new float[] {0.1f, 0.1f, 0.1f}, 1, 3).requiresGrad(true);
        Tensor y3 = x3.layerNorm(Tensor.ones(3), Tensor.of(new float[] {1f, 2f, 3f}, 3), 1e-5f);
        assertArrayEquals(new float[] {1f, 2f, 3f}, y3.toArray(), 1e-3f);
        y3.sum().backward();
        assertFinite(x3.grad().toArray(), "dx of an inexact constant row");
    }

    @Test
    void crossEntropyWithEveryRowIgnoredIsZeroWithZeroGradient() {
        Tensor logits = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true);
        Tensor loss = logits.crossEntropy(new int[] {-100, -100}, -100);
        assertEquals(0f, loss.item());
        loss.backward();
        assertArrayEquals(new float[4], logits.grad().toArray(), 0f);
    }

    @Test
    void crossEntropyIsTheMeanOverCountedRowsOnly() {
        Tensor logits = Tensor.of(new float[] {0f, 0f, 5f, -5f, 1f, 1f}, 3, 2);
        float counted = logits.crossEntropy(new int[] {0, -1, 1}, -1).item();
        assertEquals((float) Math.log(2), counted, 1e-6f); // rows 0 and 2 both have loss log 2
    }

    @Test
    void logSigmoidIsStableForHugeInputs() {
        Tensor x = Tensor.vector(-1e4f, -50f, 0f, 50f, 1e4f).requiresGrad(true);
        Tensor y = x.logSigmoid();
        assertArrayEquals(new float[] {-1e4f, -50f, (float) -Math.log(2), 0f, 0f}, y.toArray(), 1e-6f);
        y.sum().backward();
        assertArrayEquals(new float[] {1f, 1f, 0.5f, 0f, 0f}, x.grad().toArray(), 1e-6f);
    }
}
