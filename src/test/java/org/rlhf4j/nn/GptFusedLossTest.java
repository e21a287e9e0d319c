package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * {@link Gpt#loss(int[], int[], int, int, int)} fuses the tied head into the loss; on the CPU kernels it gives
 * the bits of the unfused pair, {@code loss(forward(ids, B, T), targets, ignoreIndex)}: the same loss and the
 * same gradient for every parameter (one chunk covers this model's rows, so even the embedding's gradient sums
 * in the same order). A fused op that dropped a row, misplaced a chunk or left out the head's share of the
 * embedding gradient would change bits here.
 */
@ExtendWith(OwnKernels.class)
class GptFusedLossTest {

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void fusedLossHasTheBitsOfTheUnfusedPair(String family) {
        try (Parallel p = Parallel.ofThreads(2)) {
            Kernels before = Backends.use(Backends.create(family, p));
            try {
                GptConfig cfg = new GptConfig(37, 8, 2, 2, 16, 0f, true, 1e-5f, 0.02f);
                int B = 3, T = 8;
                int[] ids = new int[B * T], targets = new int[B * T];
                Generator g = new Generator(5);
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = g.nextInt(cfg.vocabSize());
                    targets[i] = i % 5 == 0 ? -100 : g.nextInt(cfg.vocabSize());
                }
                Gpt fused = new Gpt(cfg, new Generator(3)), unfused = new Gpt(cfg, new Generator(3));
                Tensor a = fused.loss(ids, targets, B, T, -100);
                Tensor b = unfused.loss(unfused.forward(ids, B, T), targets, -100);
                assertEquals(Float.floatToIntBits(b.item()), Float.floatToIntBits(a.item()), "loss " + a.item() + " vs " + b.item());
                a.backward();
                b.backward();
                Map<String, float[]> fg = grads(fused), ug = grads(unfused);
                assertEquals(ug.keySet(), fg.keySet());
                for (String name : ug.keySet()) {
                    assertArrayEquals(ug.get(name), fg.get(name), 0f, "gradient of " + name);
                }
            } finally {
                Backends.use(before);
            }
        }
    }

    private static Map<String, float[]> grads(Gpt model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, t) -> out.put(name, t.grad().toArray()));
        return out;
    }
}
