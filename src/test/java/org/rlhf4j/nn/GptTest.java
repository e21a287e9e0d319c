package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/** Names, shapes, initialisation, modes and the KV cache of {@link Gpt}. */
@ExtendWith(OwnKernels.class)
class GptTest {

    static final GptConfig SMALL = new GptConfig(20, 12, 2, 2, 16, 0f, true, 1e-5f, 0.02f);

    @Test
    void parametersHaveHuggingFaceNamesAndConv1dShapesInOrder() {
        Map<String, Tensor> p = new Gpt(SMALL, new Generator(1)).namedParameters();
        List<String> names = List.copyOf(p.keySet());
        assertEquals(List.of("transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight",
                "transformer.h.0.ln_1.bias", "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
                "transformer.h.0.attn.c_proj.weight", "transformer.h.0.attn.c_proj.bias", "transformer.h.0.ln_2.weight",
                "transformer.h.0.ln_2.bias", "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_fc.bias",
                "transformer.h.0.mlp.c_proj.weight", "transformer.h.0.mlp.c_proj.bias"), names.subList(0, 14));
        assertEquals(List.of("transformer.ln_f.weight", "transformer.ln_f.bias"), names.subList(names.size() - 2, names.size()));
        assertEquals(2 + 12 * 2 + 2, names.size(), "no lm_head: the head is tied to wte");
        assertArrayEquals(new int[] {16, 48}, p.get("transformer.h.1.attn.c_attn.weight").dims(), "(in, out)");
        assertArrayEquals(new int[] {64, 16}, p.get("transformer.h.1.mlp.c_proj.weight").dims());
        assertArrayEquals(new int[] {20, 16}, p.get("transformer.wte.weight").dims());
        assertArrayEquals(new int[] {12, 16}, p.get("transformer.wpe.weight").dims());
    }

    @Test
    void withoutBiasThereAreNoBiasParameters() {
        Map<String, Tensor> p = new Gpt(SMALL.withBias(false), new Generator(1)).namedParameters();
        assertTrue(p.keySet().stream().noneMatch(n -> n.endsWith(".bias")), p.keySet().toString());
        assertEquals(2 + 6 * 2 + 1, p.size());
    }

    @Test
    void initialisationFollowsGpt2() {
        GptConfig cfg = SMALL.withNEmbd(64).withNHead(4).withNLayer(3).withVocabSize(200);
        Map<String, Tensor> p = new Gpt(cfg, new Generator(3)).namedParameters();
        assertEquals(0.02, std(p.get("transformer.wte.weight")), 0.002);
        assertEquals(0.02, std(p.get("transformer.h.0.mlp.c_fc.weight")), 0.002);
        double proj = 0.02 / Math.sqrt(2 * 3);
        assertEquals(proj, std(p.get("transformer.h.2.mlp.c_proj.weight")), proj * 0.1);
        assertEquals(proj, std(p.get("transformer.h.1.attn.c_proj.weight")), proj * 0.1);
        p.forEach((name, t) -> {
            if (name.endsWith(".bias")) {
                assertEquals(0f, maxAbs(t), name);
            } else if (name.contains("ln_")) {
                assertArrayEquals(Tensor.ones(t.size()).toArray(), t.toArray(), name);
            }
        });
        assertArrayEquals(p.get("transformer.wte.weight").toArray(),
                new Gpt(cfg, new Generator(3)).wte.weight.toArray(), "the same seed gives the same weights");
    }

    private static double std(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) {
            s += (double) v * v;
        }
        return Math.sqrt(s / t.size());
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static int[] randomIds(long seed, int n, int V) {
        Generator gen = new Generator(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) (gen.nextUniform() * V);
        }
        return ids;
    }

    @Test
    void logitsHaveShapeBTVAndRejectBadInputs() {
        Gpt model = new Gpt(SMALL, new Generator(1));
        assertArrayEquals(new int[] {3, 5, 20}, model.forward(randomIds(1, 15, 20), 3, 5).dims());
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[14], 3, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(new int[13], 1, 13));
        assertTrue(e.getMessage().contains("block size 12"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> model.forward(new int[] {20}, 1, 1));
    }

    @Test
    void dropoutActsOnlyInTrainingMode() {
        Gpt model = new Gpt(SMALL.withDropout(0.2f), new Generator(4));
        int[] ids = randomIds(2, 12, 20);
        assertTrue(model.isTraining(), "a new model trains");
        float[] a = model.forward(ids, 1, 12).toArray(), b = model.forward(ids, 1, 12).toArray();
        assertFalse(java.util.Arrays.equals(a, b), "each training forward draws fresh masks");
        model.eval();
        assertTrue(model.blocks().get(1).attn.isTraining() == false, "eval reaches every descendant");
        long counter = model.dropoutGenerator().counter();
        float[] c = model.forward(ids, 1, 12).toArray(), d = model.forward(ids, 1, 12).toArray();
        assertArrayEquals(c, d, "evaluation is deterministic");
        assertEquals(counter, model.dropoutGenerator().counter(), "inactive dropout draws no seeds");
        Gpt noDropout = new Gpt(SMALL, new Generator(4));
        assertArrayEquals(noDropout.forward(ids, 1, 12).toArray(), c, "eval equals a dropout-free model");
        model.train(true);
        assertNotEquals(c[0], model.forward(ids, 1, 12).toArray()[0]);
    }

    @Test
    void trainingWithDropoutIsReproducibleFromTheSeedAndTheGeneratorState() {
        GptConfig cfg = SMALL.withDropout(0.1f);
        int[] ids = randomIds(6, 24, 20);
        Gpt a = new Gpt(cfg, new Generator(8)), b = new Gpt(cfg, new Generator(8));
        assertArrayEquals(a.forward(ids, 2, 12).toArray(), b.forward(ids, 2, 12).toArray(), "same seed, same masks");
        Generator state = a.dropoutGenerator();
        float[] next = a.forward(ids, 2, 12).toArray();
        Gpt c = new Gpt(cfg, new Generator(8));
        c.setDropoutGenerator(new Generator(state.seed(), state.counter() - countPerForward(cfg)));
        assertArrayEquals(next, c.forward(ids, 2, 12).toArray(), "a restored (seed, counter) continues the stream");
    }

    /** Dropout sites per forward pass: the embedding's, then attention, residual and MLP per block. */
    private static long countPerForward(GptConfig cfg) {
        return 1 + 3L * cfg.nLayer();
    }

    @Test
    void cachedStepsGiveTheLogitsOfAFullForwardPass() {
        Gpt model = new Gpt(SMALL, new Generator(5)).eval();
        int B = 2, T = 10;
        int[] ids = randomIds(3, B * T, 20);
        Tensor full = model.forward(ids, B, T); // (B, T, V)
        KvCache cache = new KvCache(SMALL, B);
        int[] prefix = new int[B * 4];
        for (int b = 0; b < B; b++) {
            System.arraycopy(ids, b * T, prefix, b * 4, 4);
        }
        float[] last = model.forward(prefix, B, 4, cache).toArray(); // prefill 4 positions
        assertClose(slice(full, B, T, 3), last);
        for (int t = 4; t < T; t++) {
            int[] step = {ids[t], ids[T + t]};
            last = model.forward(step, B, 1, cache).toArray();
            assertClose(slice(full, B, T, t), last);
        }
        assertEquals(T, cache.length());
    }

    /** logits[:, t, :] of a (B, T, V) tensor, flattened. */
    private static float[] slice(Tensor logits, int B, int T, int t) {
        int V = logits.dim(2);
        float[] all = logits.toArray(), out = new float[B * V];
        for (int b = 0; b < B; b++) {
            System.arraycopy(all, (b * T + t) * V, out, b * V, V);
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void theCacheRefusesToPassTheBlockSize() {
        Gpt model = new Gpt(SMALL, new Generator(5));
        KvCache cache = new KvCache(SMALL, 1);
        model.forward(randomIds(1, 12, 20), 1, 12, cache);
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[] {1}, 1, 1, cache));
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[] {1, 2}, 2, 1, cache));
    }

    @Test
    void cachedForwardRecordsNoGradient() {
        Gpt model = new Gpt(SMALL, new Generator(5));
        Tensor logits = model.forward(new int[] {1, 2, 3}, 1, 3, new KvCache(SMALL, 1));
        assertFalse(logits.requiresGrad());
    }
}
