package org.rlhf4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/** AdamW against a hand computation, its parameter groups, and its state round trip. */
@ExtendWith(OwnKernels.class)
class AdamWTest {

    /** Sets p's gradient to exactly g (by backpropagating sum(p * g)). */
    static void setGrad(Tensor p, float[] g) {
        p.zeroGrad();
        p.mul(Tensor.of(g, p.dims())).sum().backward();
    }

    private static AdamW single(Tensor p, AdamWConfig cfg) {
        return new AdamW(cfg, List.of(new ParamGroup(Map.of("p", p), cfg.weightDecay())));
    }

    @Test
    void twoStepsMatchAHandComputationOfAlgorithm2() {
        AdamWConfig cfg = new AdamWConfig(0.1, 0.9, 0.99, 1e-8, 0.05);
        float[] p0 = {1.0f, -2.0f, 0.5f};
        float[][] grads = {{0.3f, -0.1f, 2.0f}, {-0.2f, 0.4f, 1.0f}};
        Tensor p = Tensor.of(p0, 3).requiresGrad(true);
        AdamW opt = single(p, cfg);
        double[] x = {1.0, -2.0, 0.5}, m = new double[3], v = new double[3];
        for (int t = 1; t <= 2; t++) {
            setGrad(p, grads[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                x[i] *= 1 - 0.1 * 0.05;                            // decoupled decay
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.99 * v[i] + 0.01 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t)), vHat = v[i] / (1 - Math.pow(0.99, t));
                x[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
                assertEquals(x[i], p.toArray()[i], 1e-6, "step " + t + " element " + i);
            }
        }
        assertEquals(2, opt.stepCount());
    }

    @Test
    void onlyLinearWeightsDecay() {
        Gpt model = new Gpt(new GptConfig(10, 4, 2, 2, 8, 0f, true, 1e-5f, 0.02f), new Generator(1));
        List<ParamGroup> groups = ParamGroups.linearWeightsDecay(model, 0.1);
        assertEquals(0.1, groups.get(0).weightDecay());
        assertEquals(0.0, groups.get(1).weightDecay());
        for (String name : groups.get(0).params().keySet()) {
            assertTrue(name.matches("transformer\\.h\\.\\d\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.weight"), name);
        }
        assertEquals(8, groups.get(0).params().size());
        Set<String> noDecay = groups.get(1).params().keySet();
        assertTrue(noDecay.contains("transformer.wte.weight") && noDecay.contains("transformer.wpe.weight"), "embeddings");
        assertTrue(noDecay.contains("transformer.h.0.ln_1.weight") && noDecay.contains("transformer.ln_f.bias"), "layer norms");
        assertTrue(noDecay.contains("transformer.h.1.mlp.c_fc.bias"), "biases");
        assertEquals(model.namedParameters().size(), groups.get(0).params().size() + noDecay.size());
    }

    @Test
    void withAZeroGradientOnlyTheDecayedGroupMoves() {
        Tensor decayed = Tensor.of(new float[] {2f, -4f}, 2).requiresGrad(true);
        Tensor kept = Tensor.of(new float[] {2f, -4f}, 2).requiresGrad(true);
        AdamW opt = new AdamW(new AdamWConfig(0.01, 0.9, 0.95, 1e-8, 0.1),
                List.of(new ParamGroup(Map.of("w", decayed), 0.1), new ParamGroup(Map.of("b", kept), 0.0)));
        setGrad(decayed, new float[2]);
        setGrad(kept, new float[2]);
        opt.step();
        float shrink = (float) (1 - 0.01 * 0.1);
        assertArrayEquals(new float[] {2f * shrink, -4f * shrink}, decayed.toArray());
        assertArrayEquals(new float[] {2f, -4f}, kept.toArray());
    }

    @Test
    void aParameterWithoutGradientIsLeftAlone() {
        Tensor p = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        AdamW opt = single(p, AdamWConfig.defaults());
        opt.step();
        assertArrayEquals(new float[] {1f}, p.toArray());
    }

    @Test
    void stateRoundTripContinuesBitForBit() {
        Generator gen = new Generator(5);
        Tensor a = Tensor.randn(gen, 4, 3).detach().requiresGrad(true);
        Tensor b = Tensor.of(a.toArray(), 4, 3).requiresGrad(true);
        AdamWConfig cfg = AdamWConfig.nanoGptShakespeare();
        AdamW first = single(a, cfg);
        float[][] grads = new float[4][];
        for (int t = 0; t < 4; t++) {
            grads[t] = Tensor.randn(gen, 12).toArray();
        }
        for (int t = 0; t < 3; t++) {
            setGrad(a, grads[t]);
            first.step();
        }
        LinkedHashMap<String, float[]> state = first.state();
        assertEquals(List.of("p.exp_avg", "p.exp_avg_sq"), List.copyOf(state.keySet()));
        System.arraycopy(a.toArray(), 0, b.data(), 0, 12);
        AdamW resumed = single(b, cfg);
        resumed.loadState(first.stepCount(), state);
        setGrad(a, grads[3]);
        setGrad(b, grads[3]);
        first.step();
        resumed.step();
        assertArrayEquals(a.toArray(), b.toArray());
        assertArrayEquals(first.state().get("p.exp_avg_sq"), resumed.state().get("p.exp_avg_sq"));
    }

    @Test
    void aLargeParameterUpdatesIdenticallyOnOneAndTwoThreads() {
        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Kernels before = Backends.current();
            try (Parallel parallel = Parallel.ofThreads(threads)) {
                Backends.use(Backends.create(before.name(), parallel));
                Generator gen = new Generator(9);
                Tensor p = Tensor.randn(gen, 50_000).detach().requiresGrad(true); // several shares of the split
                AdamW opt = single(p, AdamWConfig.nanoGptShakespeare());
                for (int t = 0; t < 3; t++) {
                    setGrad(p, Tensor.randn(gen, 50_000).toArray());
                    opt.step();
                }
                results[threads - 1] = p.toArray();
            } finally {
                Backends.use(before);
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void aMismatchedStateIsRejectedWithoutChangingAnything() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        AdamW opt = single(p, AdamWConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadState(5, Map.of("p.exp_avg", new float[3], "p.exp_avg_sq", new float[2])));
        assertTrue(e.getMessage().contains("p.exp_avg_sq has 2 values, expected 3"), e.getMessage());
        assertEquals(0, opt.stepCount());
    }

    @Test
    void configValidationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdamWConfig.defaults().withLr(0))
                .getMessage().startsWith("lr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdamWConfig.defaults().withBetas(1.0, 0.9))
                .getMessage().startsWith("beta1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdamWConfig.defaults().withBetas(0.9, -0.1))
                .getMessage().startsWith("beta2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdamWConfig.defaults().withEps(0))
                .getMessage().startsWith("eps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdamWConfig.defaults().withWeightDecay(-1))
                .getMessage().startsWith("weightDecay"));
    }

    @Test
    void aNonFiniteGradientSkipsTheStepLeavingParametersMomentsAndStepBitIdentical() {
        AdamWConfig cfg = new AdamWConfig(0.1, 0.9, 0.99, 1e-8, 0.05);
        Tensor a = Tensor.vector(1f, -2f, 0.5f).requiresGrad(true), b = Tensor.vector(3f, 4f).requiresGrad(true);
        Tensor a2 = Tensor.vector(1f, -2f, 0.5f).requiresGrad(true), b2 = Tensor.vector(3f, 4f).requiresGrad(true);
        AdamW opt = new AdamW(cfg, List.of(new ParamGroup(Map.of("a", a), 0.05), new ParamGroup(Map.of("b", b), 0)));
        AdamW twin = new AdamW(cfg, List.of(new ParamGroup(Map.of("a", a2), 0.05), new ParamGroup(Map.of("b", b2), 0)));
        setGrad(a, new float[] {0.1f, 0.2f, -0.3f});
        setGrad(b, new float[] {1f, -1f});
        setGrad(a2, new float[] {0.1f, 0.2f, -0.3f});
        setGrad(b2, new float[] {1f, -1f});
        assertTrue(opt.step());
        assertTrue(twin.step());

        float[] pa = a.toArray(), pb = b.toArray();
        Map<String, float[]> moments = opt.state();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            setGrad(a, new float[] {0.1f, 0.2f, -0.3f});
            setGrad(b, new float[] {1f, bad});    // one bad element in one parameter of one group
            assertEquals(false, opt.step(), "skipped for " + bad);
            assertArrayEquals(pa, a.toArray(), "a untouched");
            assertArrayEquals(pb, b.toArray(), "b untouched");
            opt.state().forEach((k, v) -> assertArrayEquals(moments.get(k), v, k + " untouched"));
            assertEquals(1, opt.stepCount());
        }
        assertEquals(3, opt.skippedSteps());

        // the skips were no-ops: the next finite step matches an optimizer that never saw them, bit for bit
        setGrad(a, new float[] {-0.5f, 0.25f, 2f});
        setGrad(b, new float[] {0.5f, 0.5f});
        setGrad(a2, new float[] {-0.5f, 0.25f, 2f});
        setGrad(b2, new float[] {0.5f, 0.5f});
        assertTrue(opt.step());
        assertTrue(twin.step());
        assertArrayEquals(a2.toArray(), a.toArray());
        assertArrayEquals(b2.toArray(), b.toArray());
        twin.state().forEach((k, v) -> assertArrayEquals(v, opt.state().get(k), k));
        assertEquals(0, twin.skippedSteps());
    }
}
