package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.KlEstimators;

class PpoConfigTest {

    @Test
    void defaultsCarryTheirSourcesValues() {
        PpoConfig d = PpoConfig.defaults();
        assertEquals(0.2, d.clipRange());            // Schulman et al. 2017, TRL cliprange
        assertEquals(0.2, d.clipRangeValue());       // TRL cliprange_value
        assertEquals(0.1, d.vfCoef());               // TRL vf_coef
        assertEquals(1.0, d.gamma());
        assertEquals(0.95, d.lambda());              // TRL lam
        assertEquals(KlEstimators.Kind.K1, d.klEstimator());
        assertEquals(6.0, d.klTarget());             // Ziegler et al. 2019
        assertEquals(10000.0, d.klHorizon());
        assertEquals(10.0, d.ratioThreshold());      // older TRL ratio_threshold
        assertEquals(4, d.ppoEpochs());              // TRL num_ppo_epochs
        assertEquals(1e-5, d.adamEps());             // Huang et al. 2024
        assertEquals(PpoConfig.ValueInit.POLICY_HEAD, d.valueInit());
    }

    @Test
    void badValuesNameTheirField() {
        PpoConfig d = PpoConfig.defaults();
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("rolloutBatch", () -> d.withRolloutBatch(0));
        cases.put("temperature", () -> d.withTemperature(0f));
        cases.put("topP", () -> d.withTopP(1.5f));
        cases.put("miniBatches", () -> d.withMiniBatches(3));
        cases.put("gradAccum", () -> d.withGradAccum(3));
        cases.put("clipRange", () -> d.withClipRange(0));
        cases.put("gamma", () -> d.withGamma(1.5));
        cases.put("lambda", () -> d.withLambda(-0.1));
        cases.put("ratioThreshold", () -> d.withRatioThreshold(1));
        cases.put("stopToken", () -> d.withStopToken(""));
        cases.put("lr", () -> d.withLr(Double.NaN));
        cases.put("maxGradNorm", () -> d.withMaxGradNorm(0));
        cases.forEach((field, make) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run, field);
            assertTrue(e.getMessage().startsWith(field), field + ": " + e.getMessage());
        });
    }

    @Test
    void jsonRoundTripsAndSettingsParseByType() {
        PpoConfig c = PpoConfig.defaults().withKlEstimator(KlEstimators.Kind.K3).withStopToken("\n")
                .withScoreNorm(PpoConfig.ScoreNorm.SCALE).withSeed(42);
        assertEquals(c, PpoConfig.fromJson(c.toJson()));
        PpoConfig s = PpoConfig.defaults().with(Map.of("lr", "3e-4", "kl-estimator", "k3", "adaptive_kl", "false",
                "rollout_batch", "8", "value_init", "from_reward_model", "stop_token", "."));
        assertEquals(3e-4, s.lr());
        assertEquals(KlEstimators.Kind.K3, s.klEstimator());
        assertEquals(false, s.adaptiveKl());
        assertEquals(8, s.rolloutBatch());
        assertEquals(PpoConfig.ValueInit.FROM_REWARD_MODEL, s.valueInit());
        assertEquals(".", s.stopToken());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().with(Map.of("nope", "1")))
                .getMessage().contains("unknown PPO setting"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().with(Map.of("kl_estimator", "k9")))
                .getMessage().contains("k1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().with(Map.of("ppo_epochs", "x")))
                .getMessage().contains("integer"));
        assertEquals(List.copyOf(PpoConfig.defaults().toJson().properties().stream().map(Map.Entry::getKey).toList()),
                PpoConfig.keys());
    }

    @Test
    void stopTokenMustBeOneTokenOfThePolicysTokenizer() {
        var reward = org.rlhf4j.rlhf.RewardSource.fromFunction((p, r) -> 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new PpoTrainer(TinyPpo.policy(0), TinyPpo.TOKENIZER, reward, TinyPpo.ppo().withStopToken("ab")));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(0), TinyPpo.TOKENIZER, reward, TinyPpo.ppo())) {
            assertEquals(-1, t.stopTokenId(), "a character tokenizer has no end-of-text: \"eos\" means none");
        }
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(0), TinyPpo.TOKENIZER, reward, TinyPpo.ppo().withStopToken("."))) {
            assertEquals(TinyPpo.TOKENIZER.encode(".")[0], t.stopTokenId());
        }
        assertThrows(IllegalArgumentException.class, () -> new PpoTrainer(TinyPpo.policy(0), TinyPpo.TOKENIZER, reward,
                TinyPpo.ppo().withValueInit(PpoConfig.ValueInit.FROM_REWARD_MODEL)));
        assertThrows(IllegalArgumentException.class, () -> new PpoTrainer(TinyPpo.policy(0), TinyPpo.TOKENIZER, reward,
                TinyPpo.ppo().withMaxNewTokens(24)));
    }

    /** With GPT-2's tokenizer, "eos" is <|endoftext|> (50256). */
    @Test
    void eosIsTheEndOfTextTokenOfAGpt2Tokenizer() {
        var gpt2 = org.rlhf4j.data.tokenizer.Gpt2Tokenizer.bundled();
        var policy = new org.rlhf4j.nn.Gpt(new org.rlhf4j.nn.GptConfig(gpt2.vocabSize(), 16, 1, 1, 8, 0f, true, 1e-5f,
                0.02f), new org.rlhf4j.tensor.Generator(0));
        try (PpoTrainer t = new PpoTrainer(policy, gpt2, org.rlhf4j.rlhf.RewardSource.fromFunction((p, r) -> 0),
                PpoConfig.defaults().withMaxNewTokens(4))) {
            assertEquals(50256, t.stopTokenId());
        }
    }
}
