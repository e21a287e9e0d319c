package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.optim.LrSchedule;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Parity with PyTorch on a tiny GPT-2 (2 layers, C 32, 2 heads, V 64, B 2, T 16), against the fixture
 * written by dev/reference/gpt_reference.py: logits, loss, every parameter's gradient, and 5 steps of
 * clipping + AdamW + the warmup/cosine schedule, on every kernel family.
 *
 * <p>Errors are measured per tensor, relative to its largest magnitude: {@code max|a - b| / max|b|}.
 * Tolerances: both sides compute in float32 (u = 2^-24 ~ 6e-8) but sum in different orders, so a
 * length-K dot product may differ by about K u sum|terms| (Higham, section 3.1): with K up to 128
 * (c_proj of the MLP) and O(1) terms that is ~1e-5 of the tensor's scale at worst, ~1e-6 typically;
 * logits and loss get 1e-5. A gradient passes through about twice as many products (the backward
 * chain through 2 blocks, softmax and layer norm, whose rstd amplifies errors) and gets 1e-4. The
 * step losses add AdamW's division by sqrt(v) + eps, whose first step moves each weight by about lr
 * whatever the gradient's size, so a gradient element near 0 can flip the direction of a tiny step;
 * its effect on the loss is second order and 1e-5 holds. A wrong term (a missing bias, the wrong
 * transpose, a wrong scale) misses by O(1).
 *
 * <p>The OpenCL kernels get the same tolerances in tests of their own, skipped (with the reason)
 * where no OpenCL device exists, and checked to have launched their kernels on the device.
 */
@ExtendWith(OwnKernels.class)
class GptReferenceTest {

    private static final ReferenceFixture FX = ReferenceFixture.load("/reference/gpt_tiny.bin");
    private static final double LOGITS_TOL = 1e-5, GRAD_TOL = 1e-4, STEP_TOL = 1e-5;

    private static final int[] CFG = FX.ints("config"); // V, block, layers, heads, C, B, T, steps, ignore
    private static final int B = CFG[5], T = CFG[6], STEPS = CFG[7], IGNORE = CFG[8];
    private static final float[] H = FX.floats("hparams"); // ln eps, lr, min lr, warmup, decay, b1, b2, eps, wd, clip

    static GptConfig config() {
        return new GptConfig(CFG[0], CFG[1], CFG[2], CFG[3], CFG[4], 0f, true, H[0], 0.02f);
    }

    /** A model holding the fixture's weights, checked name by name and shape by shape. */
    static Gpt loadModel() {
        Gpt model = new Gpt(config(), new Generator(0));
        List<String> fixtureNames = new ArrayList<>();
        for (String key : FX.entries.keySet()) {
            if (key.startsWith("weights/")) {
                fixtureNames.add(key.substring("weights/".length()));
            }
        }
        assertEquals(fixtureNames, new ArrayList<>(model.namedParameters().keySet()),
                "rlhf4j's parameters have Hugging Face's names, in its order");
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            ReferenceFixture.Entry w = FX.get("weights/" + e.getKey());
            assertArrayEquals(w.dims(), e.getValue().dims(), e.getKey() + ": shape (Conv1D orientation)");
            System.arraycopy(w.floats(), 0, e.getValue().data(), e.getValue().offset(), w.floats().length);
        }
        return model;
    }

    /** max|a - b| / max|b|. */
    static double relError(float[] actual, float[] expected) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    private static List<Kernels> families() {
        List<Kernels> out = new ArrayList<>(List.of(Backends.create("scalar", Backends.current().parallel())));
        if (Backends.simdAvailable()) {
            out.add(Backends.create("simd", Backends.current().parallel()));
        }
        return out;
    }

    @Test
    void logitsLossAndEveryGradientMatchPyTorch() {
        for (Kernels family : families()) {
            logitsLossAndGradients(family);
        }
    }

    @Test
    void logitsLossAndEveryGradientMatchPyTorchOnOpenCl() {
        Kernels family = openCl();
        long launches = launches(family);
        logitsLossAndGradients(family);
        assertTrue(launches(family) > launches, "the OpenCL kernels ran");
    }

    @Test
    void fiveClippedAdamWStepsMatchPyTorchOnOpenCl() {
        Kernels family = openCl();
        long launches = launches(family);
        clippedAdamWSteps(family);
        assertTrue(launches(family) > launches, "the OpenCL kernels ran");
    }

    /** The OpenCL kernels on this test's threads, or the test is skipped with the reason there are none. */
    private static Kernels openCl() {
        org.rlhf4j.kernels.OpenClSupport.kernels();
        return Backends.create("opencl", Backends.current().parallel());
    }

    private static long launches(Kernels openCl) {
        return ((org.rlhf4j.kernels.opencl.OpenClKernels) openCl).transfers().snapshot().launches();
    }

    private static void logitsLossAndGradients(Kernels family) {
        {
            Kernels before = Backends.use(family);
            try {
                Gpt model = loadModel();
                Tensor logits = model.forward(FX.ints("inputs"), B, T);
                Tensor loss = model.loss(logits, FX.ints("targets"), IGNORE);
                double logitsErr = relError(logits.toArray(), FX.floats("logits"));
                double lossErr = relError(new float[] {loss.item()}, FX.floats("loss"));
                assertTrue(logitsErr <= LOGITS_TOL, family.name() + ": logits error " + logitsErr);
                assertTrue(lossErr <= LOGITS_TOL, family.name() + ": loss error " + lossErr);
                loss.backward();
                double worstGrad = 0;
                for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                    double err = relError(e.getValue().grad().toArray(), FX.floats("grads/" + e.getKey()));
                    assertTrue(err <= GRAD_TOL, family.name() + ": gradient of " + e.getKey() + " error " + err);
                    worstGrad = Math.max(worstGrad, err);
                }
                System.out.printf("GptReferenceTest %s: logits %.2e, loss %.2e, worst gradient %.2e%n",
                        family.name(), logitsErr, lossErr, worstGrad);
            } finally {
                Backends.use(before);
            }
        }
    }

    @Test
    void fiveClippedAdamWStepsMatchPyTorch() {
        for (Kernels family : families()) {
            clippedAdamWSteps(family);
        }
    }

    private static void clippedAdamWSteps(Kernels family) {
        {
            Kernels before = Backends.use(family);
            try {
                Gpt model = loadModel();
                AdamW opt = AdamW.forModel(model, new AdamWConfig(H[1], H[5], H[6], H[7], H[8]));
                LrSchedule schedule = new LrSchedule(H[1], H[2], (int) H[3], (int) H[4]);
                float[] losses = new float[STEPS + 1], norms = new float[STEPS], lrs = new float[STEPS];
                for (int it = 0; it < STEPS; it++) {
                    opt.zeroGrad();
                    Tensor loss = model.loss(FX.ints("inputs"), FX.ints("targets"), B, T, IGNORE);
                    loss.backward();
                    norms[it] = (float) GradClip.clipGlobalNorm(model.parameters(), H[9]);
                    lrs[it] = (float) schedule.at(it);
                    opt.setLearningRate(schedule.at(it));
                    opt.step();
                    losses[it] = loss.item();
                }
                losses[STEPS] = model.loss(FX.ints("inputs"), FX.ints("targets"), B, T, IGNORE).item();
                assertArrayEquals(FX.floats("step_lrs"), lrs, 1e-9f, "nanoGPT's get_lr");
                double normErr = relError(norms, FX.floats("step_grad_norms"));
                assertTrue(normErr <= GRAD_TOL, family.name() + ": pre-clip norms error " + normErr);
                double worst = 0;
                for (int i = 0; i <= STEPS; i++) {
                    double err = relError(new float[] {losses[i]}, new float[] {FX.floats("step_losses")[i]});
                    assertTrue(err <= STEP_TOL, family.name() + ": loss at step " + i + " error " + err);
                    worst = Math.max(worst, err);
                }
                System.out.printf("GptReferenceTest %s: step losses %.2e, grad norms %.2e (losses %s)%n",
                        family.name(), worst, normErr, java.util.Arrays.toString(losses));
            } finally {
                Backends.use(before);
            }
        }
    }
}
