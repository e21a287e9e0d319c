package org.rlhf4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.LrSchedule;

/** The recipe's numbers, validation messages, JSON round trips and key=value overrides. */
class TrainConfigTest {

    @Test
    void shakespeareCharIsNanoGptsCpuRecipe() {
        TrainConfig c = TrainConfig.shakespeareChar();
        assertEquals(12, c.batchSize());
        assertEquals(64, c.blockSize());
        assertEquals(2000, c.maxIters());
        assertEquals(1e-3, c.lr());
        assertEquals(1e-4, c.minLr());
        assertEquals(100, c.warmupIters());
        assertEquals(2000, c.lrDecayIters());
        assertEquals(0.9, c.beta1());
        assertEquals(0.99, c.beta2());
        assertEquals(0.1, c.weightDecay());
        assertEquals(1.0, c.gradClip());
        assertEquals(1, c.gradAccumSteps());
        assertEquals(250, c.evalInterval());
        assertEquals(20, c.evalIters());
        assertEquals(1, c.logInterval());
        assertEquals(1337L, c.seed());
        assertEquals(LrSchedule.nanoGptShakespeare(), c.schedule());
        Recipe r = Recipe.shakespeareChar();
        assertEquals(GptConfig.baby(), r.model());
        assertEquals(0f, r.model().dropout());
        assertTrue(r.needsCorpus());
    }

    @Test
    void badValuesNameTheirField() {
        TrainConfig c = TrainConfig.tiny();
        assertMessage("batchSize must be positive", () -> c.withBatchSize(0));
        assertMessage("gradAccumSteps must be positive", () -> c.withGradAccumSteps(-1));
        assertMessage("maxIters must be positive", () -> c.withMaxIters(0));
        assertMessage("checkpointInterval must be >= 0", () -> c.withIntervals(1, 1, 1, -1));
        assertMessage("minLr must be in", () -> Overrides.apply(Recipe.tiny(), Map.of("min_lr", "1")));
        assertMessage("beta2 must be in [0, 1)", () -> Overrides.apply(Recipe.tiny(), Map.of("beta2", "1.5")));
        assertMessage("block_size 128 exceeds", () -> Recipe.tiny().with(Recipe.tiny().model(), c.withBlockSize(128)));
    }

    @Test
    void jsonRoundTrips() throws Exception {
        for (Recipe r : Recipe.presets()) {
            assertEquals(r.train(), ConfigJson.trainConfig(ConfigJson.toJson(r.train())));
            GptConfig m = r.model().withVocabSize(83).withDropout(0.25f).withBias(true);
            assertEquals(m, ConfigJson.gptConfig(ConfigJson.toJson(m), "test"));
        }
    }

    @Test
    void overridesUseNanoGptNames() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("max_iters", "200");
        o.put("learning_rate", "6e-4");
        o.put("block_size", "32");
        o.put("n_layer", "2");
        o.put("dropout", "0.1");
        o.put("bias", "true");
        o.put("seed", "42");
        Recipe r = Overrides.apply(Recipe.shakespeareChar(), o);
        assertEquals(200, r.train().maxIters());
        assertEquals(6e-4, r.train().lr());
        assertEquals(32, r.train().blockSize());
        assertEquals(32, r.model().blockSize(), "block_size sets the model's positions too");
        assertEquals(2, r.model().nLayer());
        assertEquals(0.1f, r.model().dropout());
        assertTrue(r.model().bias());
        assertEquals(42L, r.train().seed());
        assertEquals(2000, r.train().lrDecayIters(), "untouched");
        assertMessage("unknown setting 'max_iter'", () -> Overrides.apply(Recipe.tiny(), Map.of("max_iter", "3")));
        assertMessage("bias takes true or false", () -> Overrides.apply(Recipe.tiny(), Map.of("bias", "yes")));
        assertMessage("preset 'small'", () -> Recipe.preset("small"));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }
}
