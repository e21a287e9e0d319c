package org.rlhf4j.rlhf.ppo;

import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.RewardSource;

class ToyScratchTest {
    @Test
    void run() {
        for (long seed = 0; seed < 3; seed++) {
            long t0 = System.nanoTime();
            RewardSource reward = RewardSource.fromFunction((p, r) -> r.startsWith("a") ? 1 : 0);
            PpoConfig cfg = TinyPpo.ppo().withStopToken("none").withMaxNewTokens(4).withInitKlCoef(0.05).withRolloutBatch(16).withMiniBatches(2)
                    .withPpoEpochs(4).withLr(3e-3).withSeed(seed);
            try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(seed), TinyPpo.TOKENIZER, reward, cfg)) {
                for (int i = 0; i < 40; i++) {
                    PpoIteration it = t.step(TinyPpo.prompts(16));
                    if (i % 5 == 4) System.out.println("seed " + seed + " " + it.summary() + " gn " + it.metric("ppo/grad_norm") + " akl " + it.metric("policy/approxkl_avg") + " pl " + it.metric("loss/policy_avg"));
                }
            }
            System.out.printf("seed %d: %.1f s%n", seed, (System.nanoTime() - t0) / 1e9);
        }
    }
}
