package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.tensor.check.GradCheck;

/**
 * The whole tiny GPT (2 layers, C 8, 2 heads, V 16, B 2, T 5, with biases) under JAX-style directional
 * gradient checks against {@link DoubleGpt}, an independent double-precision implementation: once
 * through the logits (random output weights) and once through the loss with two ignored targets.
 * Weights are drawn with std 0.3 and layer-norm gains and biases perturbed, so that every term
 * matters. Tolerance: PyTorch's rtol 1e-3; atol 1e-7 per parameter (GradCheck scales atol by the
 * number of elements summed into a directional derivative, ~2,000 here, giving ~2e-4, against
 * directional derivatives of order 1).
 */
@ExtendWith(OwnKernels.class)
class GptGradCheckTest {

    private static final GptConfig TINY = new GptConfig(16, 8, 2, 2, 8, 0f, true, 1e-5f, 0.3f);
    private static final int B = 2, T = 5;
    private static final GradCheck.Tolerance TOL = new GradCheck.Tolerance(1e-7, 1e-3);

    private static Gpt model() {
        Gpt model = new Gpt(TINY, new Generator(11));
        Generator gen = new Generator(12);
        model.namedParameters().forEach((name, p) -> {
            if (name.contains("ln_") || name.endsWith(".bias")) { // non-trivial gains and biases
                float[] d = p.data();
                for (int i = 0; i < p.size(); i++) {
                    d[p.offset() + i] += 0.2f * gen.nextGaussian();
                }
            }
        });
        return model;
    }

    private static int[] ids(long seed, int n, int bound) {
        Generator gen = new Generator(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (gen.nextUniform() * bound);
        }
        return out;
    }

    @Test
    void logitsGradientsMatchDoubleFiniteDifferences() {
        Gpt model = model();
        int[] ids = ids(1, B * T, TINY.vocabSize());
        DoubleGpt ref = new DoubleGpt(TINY, ids, B, T);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        double[][] p = new double[params.length][];
        for (int i = 0; i < params.length; i++) {
            float[] f = params[i].toArray();
            p[i] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                p[i][j] = f[j];
            }
        }
        float[] logits = model.forward(ids, B, T).toArray();
        double[] expected = ref.logits(p);
        for (int i = 0; i < logits.length; i++) { // the forward pass, to float rounding
            assertEquals(expected[i], logits[i], 1e-5 * (1 + Math.abs(expected[i])), "logit " + i);
        }
        GradCheck.Report r = GradCheck.checkDirections("tiny GPT logits", in -> model.forward(ids, B, T),
                ref::logits, TOL, 5, 8, params);
        assertTrue(r.worstGradient() <= 1, r.toString());
    }

    @Test
    void lossGradientsMatchDoubleFiniteDifferences() {
        Gpt model = model();
        int[] ids = ids(2, B * T, TINY.vocabSize()), targets = ids(3, B * T, TINY.vocabSize());
        targets[1] = -1;
        targets[7] = -1;
        DoubleGpt ref = new DoubleGpt(TINY, ids, B, T);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.checkDirections("tiny GPT loss", in -> model.loss(ids, targets, B, T, -1),
                p -> new double[] {ref.loss(p, targets, -1)}, TOL, 6, 8, params);
        assertTrue(r.worstGradient() <= 1, r.toString());
        System.out.println("GptGradCheckTest: " + r);
    }

    @Test
    void aOnePercentErrorInTheModelIsCaught() {
        Gpt model = model();
        int[] ids = ids(2, B * T, TINY.vocabSize()), targets = ids(3, B * T, TINY.vocabSize());
        DoubleGpt ref = new DoubleGpt(TINY, ids, B, T);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        // the tape's loss scaled by 1.01 against the true reference: every gradient is 1% off
        assertThrows(AssertionError.class, () -> GradCheck.checkDirections("1% off",
                in -> model.loss(ids, targets, B, T, -1).scale(1.01f),
                p -> new double[] {ref.loss(p, targets, -1)}, TOL, 6, 8, params));
    }
}
