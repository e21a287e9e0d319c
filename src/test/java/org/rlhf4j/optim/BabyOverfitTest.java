package org.rlhf4j.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * The baby config (nanoGPT's CPU shakespeare-char model, vocabulary 65) memorises one fixed batch:
 * B = 2 sequences of T = 64 random tokens (128 targets; the batch is kept small so the test stays
 * well under a minute on 2 cores with the placeholder matmul), AdamW at a constant lr 1e-3 with
 * nanoGPT's betas, clipping at 1. The loss starts near ln 65 = 4.17 and must fall below 0.05 (a
 * probability above 0.95 on the right token, on average) within 200 steps; it stops as soon as it does.
 */
@ExtendWith(OwnKernels.class)
class BabyOverfitTest {

    @Test
    void overfitsOneBatchToNearZeroLoss() {
        int B = 2, T = 64, maxSteps = 200;
        Gpt model = new Gpt(GptConfig.baby(), new Generator(1337));
        AdamW opt = AdamW.forModel(model, AdamWConfig.nanoGptShakespeare());
        Generator gen = new Generator(42);
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) (gen.nextUniform() * 65);
            targets[i] = (int) (gen.nextUniform() * 65);
        }
        float first = Float.NaN, loss = Float.NaN;
        int step = 0;
        for (; step < maxSteps; step++) {
            opt.zeroGrad();
            Tensor l = model.loss(ids, targets, B, T, -1);
            l.backward();
            GradClip.clipGlobalNorm(model.parameters(), 1.0);
            opt.step();
            loss = l.item();
            first = step == 0 ? loss : first;
            if (loss < 0.05f) {
                break;
            }
        }
        System.out.printf("BabyOverfitTest: loss %.3f -> %.4f in %d steps%n", first, loss, step + 1);
        assertTrue(Math.abs(first - Math.log(65)) < 0.2, "initial loss " + first + " is near ln 65");
        assertTrue(loss < 0.05f, "loss after " + maxSteps + " steps: " + loss);
    }
}
