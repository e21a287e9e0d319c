package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Tensor;

/** TRL's smoke test: after a few iterations every trainable parameter changed, nothing is NaN, the reference did not. */
class PpoTrainerSmokeTest {

    private static Map<String, float[]> snapshot(Map<String, Tensor> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    @Test
    void everyPolicyAndValueParameterChangesAndTheReferenceDoesNot() {
        Gpt policy = TinyPpo.policy(1);
        RewardSource reward = RewardSource.fromFunction((p, r) -> r.chars().filter(c -> c == 'a').count());
        try (PpoTrainer t = new PpoTrainer(policy, TinyPpo.TOKENIZER, reward, TinyPpo.ppo())) {
            Map<String, float[]> p0 = snapshot(t.policy().namedParameters());
            Map<String, float[]> r0 = snapshot(t.reference().namedParameters());
            Map<String, float[]> v0 = snapshot(t.valueModel().namedParameters());
            for (int i = 0; i < 3; i++) {
                PpoIteration it = t.step(TinyPpo.prompts(8));
                assertEquals(i + 1, it.iteration());
                assertEquals(PpoIteration.KEYS, java.util.List.copyOf(it.metrics().keySet()));
                for (String k : PpoIteration.KEYS) {
                    assertTrue(Double.isFinite(it.metric(k)), k + " = " + it.metric(k));
                }
            }
            t.policy().namedParameters().forEach((k, v) -> {
                assertFalse(Arrays.equals(p0.get(k), v.toArray()), "policy " + k + " did not change");
                assertAllFinite(k, v.toArray());
            });
            t.valueModel().namedParameters().forEach((k, v) -> {
                assertFalse(Arrays.equals(v0.get(k), v.toArray()), "value " + k + " did not change");
                assertAllFinite(k, v.toArray());
            });
            t.reference().namedParameters().forEach((k, v) ->
                    assertTrue(Arrays.equals(r0.get(k), v.toArray()), "reference " + k + " changed"));
            t.reference().namedParameters().forEach((k, v) -> assertFalse(v.requiresGrad(), k + " requires grad"));
        }
    }

    private static void assertAllFinite(String name, float[] xs) {
        for (float x : xs) {
            assertTrue(Float.isFinite(x), name + " holds " + x);
        }
    }

    /** A reward model as the reward source and, copied, as the value model (TRL's set-up). */
    @Test
    void aRewardModelScoresAndSeedsTheValueModel() {
        RewardModel rm = RewardModel.fromScratch(TinyPpo.config(), TinyPpo.TOKENIZER, 24, 8);
        Map<String, float[]> rm0 = snapshot(rm.namedParameters());
        PpoConfig cfg = TinyPpo.ppo().withValueInit(PpoConfig.ValueInit.FROM_REWARD_MODEL).withStopToken(".");
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(1), TinyPpo.TOKENIZER, rm, cfg)) {
            t.valueModel().namedParameters().forEach((k, v) -> assertTrue(Arrays.equals(rm0.get(k), v.toArray()), k));
            PpoIteration it = t.step(TinyPpo.prompts(8));
            assertTrue(Double.isFinite(it.metric("objective/scores")));
            // the value model trains; the reward model it was copied from does not
            rm.namedParameters().forEach((k, v) -> assertTrue(Arrays.equals(rm0.get(k), v.toArray()), "reward " + k));
            assertFalse(Arrays.equals(rm0.get(RewardModel.SCORE_WEIGHT),
                    t.valueModel().namedParameters().get(RewardModel.SCORE_WEIGHT).toArray()));
        }
    }

    /** A rollout batch that is not rolloutBatch prompts is refused; a closed trainer refuses work. */
    @Test
    void wrongBatchSizeAndClosedTrainerAreErrors() {
        RewardSource reward = RewardSource.fromFunction((p, r) -> 0);
        PpoTrainer t = new PpoTrainer(TinyPpo.policy(1), TinyPpo.TOKENIZER, reward, TinyPpo.ppo());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> t.step(TinyPpo.prompts(7))).getMessage().contains("rolloutBatch"));
        t.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.step(TinyPpo.prompts(8)));
    }
}
