package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.RewardSource;

/**
 * "A dedicated pad token" (RLHF.md stage 3, phase 2): rows are jagged, and the models see some id at the
 * padded positions after each row's real tokens (PpoTrainer's default is 0, a real vocabulary id). That
 * id cannot matter: two trainers alike but for the pad id (0 and the last id of the vocabulary) produce
 * bit-identical log-probs, reference log-probs, values, KL, rewards, advantages and returns, the same
 * losses and metrics, and bit-identical parameters after each iteration.
 */
class PpoPaddingTest {

    @Test
    void thePadIdChangesNoBitOfTheRolloutLossesOrUpdate() {
        RewardSource reward = RewardSource.fromFunction((p, r) -> r.chars().filter(c -> c == 'a').count());
        PpoConfig cfg = TinyPpo.ppo().withStopToken(".").withMaxNewTokens(8).withSeed(6);
        int last = TinyPpo.config().vocabSize() - 1;
        List<String> prompts = TinyPpo.prompts(8); // prompts of 1 to 5 characters: every micro-batch is jagged
        try (PpoTrainer zero = new PpoTrainer(TinyPpo.policy(7), TinyPpo.TOKENIZER, reward, cfg);
             PpoTrainer other = new PpoTrainer(TinyPpo.policy(7), TinyPpo.TOKENIZER, reward, cfg)) {
            other.setPadTokenId(last);
            for (int iteration = 1; iteration <= 2; iteration++) {
                PpoBatch a = zero.rollout(prompts), b = other.rollout(prompts);
                String at = "iteration " + iteration + ": ";
                int shorter = 0;
                for (int r = 0; r < a.size(); r++) {
                    assertArrayEquals(a.responseIds()[r], b.responseIds()[r], at + "response " + r);
                    shorter += a.length(r) < a.R() ? 1 : 0;
                }
                assertTrue(shorter > 0, at + "some response ends before maxNewTokens");
                assertArrayEquals(a.logProbs(), b.logProbs(), at + "log-probs");
                assertArrayEquals(a.refLogProbs(), b.refLogProbs(), at + "reference log-probs");
                assertArrayEquals(a.entropy(), b.entropy(), at + "entropy");
                assertArrayEquals(a.values(), b.values(), at + "values");
                assertArrayEquals(a.kl(), b.kl(), at + "KL");
                assertArrayEquals(a.rewards(), b.rewards(), at + "rewards");
                assertArrayEquals(a.advantages(), b.advantages(), at + "advantages");
                assertArrayEquals(a.returns(), b.returns(), at + "returns");
                assertArrayEquals(zero.probabilityRatios(a), other.probabilityRatios(b), at + "ratios");
                PpoIteration x = zero.step(prompts), y = other.step(prompts); // phase 8: losses and updates
                for (String k : PpoIteration.KEYS) {
                    if (!k.equals("time/iteration_sec")) {
                        assertEquals(x.metric(k), y.metric(k), at + k);
                    }
                }
                zero.policy().namedParameters().forEach((k, v) -> assertArrayEquals(v.toArray(),
                        other.policy().namedParameters().get(k).toArray(), "policy " + k));
                zero.valueModel().namedParameters().forEach((k, v) -> assertArrayEquals(v.toArray(),
                        other.valueModel().namedParameters().get(k).toArray(), "value " + k));
            }
        }
    }
}
