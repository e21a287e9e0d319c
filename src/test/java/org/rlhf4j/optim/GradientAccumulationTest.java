package org.rlhf4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Gradient accumulation as documented in docs/optim.md: backward on {@code loss_i / N} for N equal
 * micro-batches sums, in the parameters' gradients, to the gradient of the whole batch's mean loss.
 */
@ExtendWith(OwnKernels.class)
class GradientAccumulationTest {

    @Test
    void microBatchesOfLossOverNSumToTheFullBatchGradient() {
        GptConfig cfg = new GptConfig(16, 6, 1, 2, 8, 0f, true, 1e-5f, 0.2f);
        Gpt full = new Gpt(cfg, new Generator(1)), micro = new Gpt(cfg, new Generator(1));
        int B = 4, T = 6, N = 2;
        Generator gen = new Generator(2);
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) (gen.nextUniform() * 16);
            targets[i] = (int) (gen.nextUniform() * 16);
        }
        full.loss(ids, targets, B, T, -1).backward();
        int rows = B / N;
        for (int k = 0; k < N; k++) {
            int[] idsK = java.util.Arrays.copyOfRange(ids, k * rows * T, (k + 1) * rows * T);
            int[] tK = java.util.Arrays.copyOfRange(targets, k * rows * T, (k + 1) * rows * T);
            micro.loss(idsK, tK, rows, T, -1).scale(1f / N).backward();
        }
        Map<String, Tensor> accumulated = micro.namedParameters();
        full.namedParameters().forEach((name, p) -> {
            float[] expected = p.grad().toArray(), actual = accumulated.get(name).grad().toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6f + 1e-4f * Math.abs(expected[i]), name + "[" + i + "]");
            }
        });
    }
}
