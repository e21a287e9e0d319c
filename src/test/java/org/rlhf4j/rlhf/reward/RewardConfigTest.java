package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Presets, copies and validation of {@link RewardConfig}. */
class RewardConfigTest {

    @Test
    void presetsCarryTheirSourcesValues() {
        RewardConfig d = RewardConfig.defaults();
        assertEquals(64, d.batchSize());   // InstructGPT
        assertEquals(9e-6, d.lr());        // InstructGPT
        assertEquals(9e-7, d.minLr(), 1e-20);
        assertEquals(0.999, d.beta2());    // HF Trainer
        assertEquals(1.0, d.gradClip());
        assertEquals(1024, d.maxLength()); // TRL
        assertEquals(OverLength.DROP, d.overLength());
        assertEquals(0.0, d.margin());
        assertEquals(0.0, d.centerCoef());
        assertTrue(RewardConfig.fromScratch().lr() > d.lr());
    }

    @Test
    void jsonRoundTripsExactlyAndRefusesWhatIsMissingOrWrong() {
        RewardConfig c = RewardConfig.fromScratch().withMargin(0.25).withMaxLength(48, OverLength.TRUNCATE_PROMPT_LEFT)
                .withIntervals(7, 3, 11);
        assertEquals(c, RewardConfig.fromJson(c.toJson()));
        assertEquals(RewardConfig.defaults(), RewardConfig.fromJson(RewardConfig.defaults().toJson()));
        var missing = c.toJson();
        missing.remove("seed");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RewardConfig.fromJson(missing)).getMessage()
                .contains("seed"));
        var badPolicy = c.toJson().put("overLength", "CUT");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RewardConfig.fromJson(badPolicy)).getMessage()
                .contains("overLength"));
        var invalid = c.toJson().put("batchSize", 0);
        assertThrows(IllegalArgumentException.class, () -> RewardConfig.fromJson(invalid));
    }

    @Test
    void copiesChangeOneThing() {
        RewardConfig d = RewardConfig.defaults();
        assertEquals(0.5, d.withMargin(0.5).margin());
        assertEquals(d.withMargin(0.5).withMargin(0.0), d);
        assertEquals(1e-5 / 10, d.withLr(1e-5).minLr(), 1e-18); // the floor keeps its fraction
        assertEquals(OverLength.TRUNCATE_PROMPT_LEFT, d.withMaxLength(64, OverLength.TRUNCATE_PROMPT_LEFT).overLength());
        // a warmup (scratch: 20) longer than a shorter run is cut to a tenth of it, not to all of it
        assertEquals(0, RewardConfig.fromScratch().withMaxIters(5).warmupIters());
        assertEquals(1, RewardConfig.fromScratch().withMaxIters(19).warmupIters());
        assertEquals(20, RewardConfig.fromScratch().withMaxIters(20).warmupIters(), "one that fits is kept");
        assertEquals(20, RewardConfig.fromScratch().withMaxIters(300).warmupIters());
        assertEquals(5, RewardConfig.fromScratch().withMaxIters(5).withWarmupIters(5).warmupIters(), "set after: as given");
    }

    @Test
    void badValuesNameTheirField() {
        RewardConfig d = RewardConfig.defaults();
        assertMessage("batchSize", () -> d.withBatchSize(0));
        assertMessage("centerCoef", () -> d.withCenterCoef(-1));
        assertMessage("margin", () -> d.withMargin(Double.NaN));
        assertMessage("maxLength", () -> d.withMaxLength(0, OverLength.DROP));
        assertMessage("overLength", () -> d.withMaxLength(10, null));
        assertMessage("lr", () -> d.withLr(-1));
        assertMessage("weight", () -> d.withWeightDecay(-0.1));
        assertMessage("warmupIters", () -> d.withWarmupIters(d.maxIters() + 1));
    }

    private static void assertMessage(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
