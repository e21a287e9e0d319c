package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.OpenClSupport;
import org.rlhf4j.kernels.opencl.OpenClKernels;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * The baby GPT (4 layers, C 128, T 64) trains on the OpenCL kernels: a few AdamW steps on a fixed
 * batch give the loss curve of the CPU kernels, step by step, and the loss falls. Skipped, with the
 * reason, where no OpenCL device exists.
 *
 * <p>Tolerance: the two runs differ only in the rounding of their matrix products (about K u
 * sum|terms| relative, K <= 512, u = 2^-24: ~1e-6 of a product's scale at worst, GptReferenceTest's
 * argument); AdamW's first steps move every weight by about lr whatever the gradient's size, so
 * such differences stay second order in the loss over a few steps: 1e-4 relative. (Measured on PoCL:
 * within 2e-6 of the SIMD kernels at every step; the exp, log and divisions of the softmax, layer
 * norm and GELU kernels are OpenCL's float built-ins.) A wrong kernel misses by O(1).
 */
@ExtendWith(OwnKernels.class)
class OpenClTrainingTest {

    private static final int B = 4, STEPS = 6;
    private static final double TOL = 1e-4;

    @Test
    void babyLossCurveOnOpenClIsTheCpuOne() {
        OpenClSupport.kernels();
        Kernels cpu = Backends.createCpu(Backends.current().parallel());
        Kernels ocl = Backends.create("opencl", Backends.current().parallel());
        float[] cpuLosses = train(cpu), oclLosses = train(ocl);
        assertTrue(((OpenClKernels) ocl).transfers().snapshot().launches() > 0, "the OpenCL kernels ran");
        for (int i = 0; i < STEPS; i++) {
            double err = Math.abs(oclLosses[i] - cpuLosses[i]) / Math.abs(cpuLosses[i]);
            assertTrue(err <= TOL, "step " + i + ": opencl " + oclLosses[i] + " vs " + cpu.name() + " " + cpuLosses[i]);
        }
        assertTrue(oclLosses[STEPS - 1] < oclLosses[0] - 0.1, java.util.Arrays.toString(oclLosses));
        System.out.printf("OpenClTrainingTest: %s %s%n  opencl %s%n", cpu.name(), java.util.Arrays.toString(cpuLosses),
                java.util.Arrays.toString(oclLosses));
    }

    /** STEPS AdamW steps of a seeded baby GPT on one seeded batch, on the given kernels. */
    private static float[] train(Kernels kernels) {
        Kernels before = Backends.use(kernels);
        try {
            GptConfig cfg = GptConfig.baby();
            int T = cfg.blockSize();
            Gpt model = new Gpt(cfg, new Generator(7));
            Generator data = new Generator(11);
            int[] inputs = new int[B * T], targets = new int[B * T];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = data.nextInt(cfg.vocabSize());
                targets[i] = (inputs[i] * 7 + 3) % cfg.vocabSize(); // a learnable map: the loss must fall
            }
            AdamW opt = AdamW.forModel(model, AdamWConfig.defaults().withLr(3e-3));
            float[] losses = new float[STEPS];
            for (int it = 0; it < STEPS; it++) {
                opt.zeroGrad();
                Tensor loss = model.loss(inputs, targets, B, T, -100);
                loss.backward();
                opt.step();
                losses[it] = loss.item();
            }
            return losses;
        } finally {
            Backends.use(before);
        }
    }
}
