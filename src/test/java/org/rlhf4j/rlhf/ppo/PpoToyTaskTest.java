package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.rlhf.RewardSource;

/**
 * A toy task PPO must solve for every seed (trl#417: three seeds of ten blew up): reward 1 when the response
 * starts with 'a', else 0. A random tiny policy starts near 1/V = 0.1; the KL-regularised optimum puts almost
 * all mass on 'a' first, at a KL of about log(1/p_ref(a)) = 2.3 nats for that token. Each seed must reach a
 * mean reward of 0.8 or more, keep the KL below 10 nats throughout, and never skip a minibatch or produce a
 * non-finite metric. 80 iterations of 16 responses, 2 epochs, lr 1.5e-3: about 2-4 s per seed.
 *
 * <p>The reward is measured as the mean over responses sampled afresh from the policy after iterations 60, 70
 * and 80 ({@value #EVAL_PROMPTS} each). Once near its maximum the policy still wobbles from update to update
 * (a single 64-sample reading after 40 iterations at lr 3e-3 ranged from 0.72 to 1.00 over seeds 0-11, and changes in
 * the last bits of SIMD kernels moved seed 1 from 0.86 to 0.72), so one reading of one policy is a coin toss
 * near any threshold. Over seeds 0-11 on the scalar and SIMD kernels this three-policy mean ranged from 0.86
 * to 0.98 (docs/ppo.md).
 */
class PpoToyTaskTest {

    static final int ITERATIONS = 80;
    static final int EVAL_PROMPTS = 256;
    static final int[] EVAL_AFTER = {60, 70, 80};

    static double reward(String response) {
        return response.startsWith("a") ? 1 : 0;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void ppoTakesTheRewardCloseToItsMaximumWithBoundedKl(long seed) {
        RewardSource reward = RewardSource.fromFunction((p, r) -> reward(r));
        PpoConfig cfg = TinyPpo.ppo().withStopToken("none").withMaxNewTokens(4).withRolloutBatch(16)
                .withMiniBatches(2).withPpoEpochs(2).withInitKlCoef(0.05).withLr(1.5e-3).withSeed(seed);
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(seed), TinyPpo.TOKENIZER, reward, cfg)) {
            List<String> prompts = TinyPpo.prompts(EVAL_PROMPTS);
            double before = mean(t.generate(t.reference(), prompts, 1000 + seed));
            double maxKl = 0;
            double afterSum = 0;
            int evals = 0;
            PpoIteration last = null;
            for (int i = 0; i < ITERATIONS; i++) {
                last = t.step(TinyPpo.prompts(16));
                for (String k : PpoIteration.KEYS) {
                    assertTrue(Double.isFinite(last.metric(k)), "iteration " + (i + 1) + ": " + k + " = " + last.metric(k));
                }
                assertEquals(0, last.metric("ppo/skipped_minibatches"), "iteration " + (i + 1));
                maxKl = Math.max(maxKl, last.metric("objective/kl"));
                for (int at : EVAL_AFTER) {
                    if (i + 1 == at) {
                        afterSum += mean(t.generate(t.policy(), prompts, 1000 + seed + at));
                        evals++;
                    }
                }
            }
            double after = afterSum / evals;
            assertTrue(before < 0.3, "seed " + seed + ": the untrained policy already scores " + before);
            assertTrue(after >= 0.8, "seed " + seed + ": reward " + before + " -> " + after);
            assertTrue(maxKl < 10, "seed " + seed + ": KL reached " + maxKl);
            System.out.printf("toy seed %d: reward %.3f -> %.3f, final KL %.2f nats, max KL %.2f, beta %.4f%n", seed,
                    before, after, last.metric("objective/kl"), maxKl, t.beta());
        }
    }

    private static double mean(List<String> responses) {
        double s = 0;
        for (String r : responses) {
            s += reward(r);
        }
        return s / responses.size();
    }
}
