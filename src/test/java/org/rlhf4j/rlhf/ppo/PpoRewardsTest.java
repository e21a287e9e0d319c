package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.RewardSource;

/**
 * Phase 4 on a real rollout (RLHF.md stage 3): with a function reward, a fixed KL coefficient, no reward
 * whitening and no score normalization, the per-token reward is {@code -beta * kl_t} on every real
 * response token, the final real token also gets the score, less missingEosPenalty exactly when the
 * response did not end with the stop token, and padding gets 0.
 */
class PpoRewardsTest {

    static final double BETA = 0.3, PENALTY = 0.75;

    /** A score that differs between responses: the 'a's, plus a quarter per character. */
    static double score(String response) {
        return response.chars().filter(c -> c == 'a').count() + 0.25 * response.length();
    }

    @Test
    void perTokenRewardIsMinusBetaKlWithThePenalisedScoreAtTheLastRealToken() {
        PpoConfig cfg = TinyPpo.ppo().withStopToken(".").withMaxNewTokens(8).withAdaptiveKl(false)
                .withInitKlCoef(BETA).withMissingEosPenalty(PENALTY).withWhitenRewards(false)
                .withScoreNorm(PpoConfig.ScoreNorm.NONE).withLr(1e-2).withSeed(3);
        RewardSource reward = RewardSource.fromFunction((p, r) -> score(r));
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(5), TinyPpo.TOKENIZER, reward, cfg)) {
            List<String> prompts = TinyPpo.prompts(8);
            t.step(prompts); // one update, so the policy has left the reference and the KL is not 0
            PpoBatch batch = t.rollout(prompts);
            assertEquals(BETA, batch.beta(), "a fixed coefficient stays where it started");
            int R = batch.R(), stopped = 0, unstopped = 0;
            double maxKl = 0;
            for (int b = 0; b < batch.size(); b++) {
                int L = batch.length(b);
                boolean endsWithStop = batch.responseIds()[b][L - 1] == t.stopTokenId();
                assertEquals(endsWithStop, batch.stopped()[b], "row " + b);
                stopped += endsWithStop ? 1 : 0;
                unstopped += endsWithStop ? 0 : 1;
                double expectedScore = (float) score(batch.responses().get(b)) - (endsWithStop ? 0 : PENALTY);
                assertEquals(expectedScore, batch.scores()[b], 1e-6 * (1 + Math.abs(expectedScore)), "score of row " + b);
                for (int j = 0; j < R; j++) {
                    int i = b * R + j;
                    if (j >= L) {
                        assertEquals(0f, batch.mask()[i], "row " + b + " position " + j);
                        assertEquals(0f, batch.rewards()[i], "padding: row " + b + " position " + j);
                        continue;
                    }
                    double kl = (double) batch.logProbs()[i] - batch.refLogProbs()[i]; // k1: logp - logref
                    assertEquals(kl, batch.kl()[i], 1e-6 * (1 + Math.abs(kl)), "kl of row " + b + " token " + j);
                    double expected = -BETA * batch.kl()[i] + (j == L - 1 ? expectedScore : 0);
                    assertEquals(expected, batch.rewards()[i], 1e-6 * (1 + Math.abs(expected)),
                            "reward of row " + b + " token " + j + " of " + L);
                    maxKl = Math.max(maxKl, j < L - 1 ? Math.abs(batch.kl()[i]) : 0);
                }
            }
            // the premises: both kinds of ending, and a KL term large enough to see beside the tolerance
            assertTrue(stopped > 0 && unstopped > 0, stopped + " stopped, " + unstopped + " not");
            assertTrue(maxKl > 1e-3, "largest |kl| on a token before the last: " + maxKl);
        }
    }
}
