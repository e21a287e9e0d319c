package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.tensor.Tensor;

/**
 * The skip path of phase 8: a minibatch whose mean ratio exceeds ratioThreshold takes no optimizer step,
 * changes no parameter, and is counted in ppo/skipped_minibatches.
 */
class PpoSkipTest {

    private static final RewardSource REWARD = RewardSource.fromFunction((p, r) -> r.chars().filter(c -> c == 'a').count());

    private static Map<String, float[]> snapshot(Map<String, Tensor> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    /**
     * A rollout whose recorded log-probs are 3 nats below the policy's (as if the policy had moved far since
     * sampling): every ratio is e^3, about 20, above the default threshold 10, from the first minibatch on.
     * Every minibatch of every epoch is skipped, and policy, value model and both optimizers are bit for bit
     * as before.
     */
    @Test
    void whenEveryMinibatchIsSkippedNoParameterChanges() {
        PpoConfig cfg = TinyPpo.ppo().withPpoEpochs(3).withMiniBatches(2).withStopToken(".").withSeed(4);
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(2), TinyPpo.TOKENIZER, REWARD, cfg)) {
            PpoBatch b = t.rollout(TinyPpo.prompts(8));
            float[] stale = b.logProbs().clone();
            for (int i = 0; i < stale.length; i++) {
                stale[i] -= b.mask()[i] != 0 ? 3f : 0f;
            }
            PpoBatch far = new PpoBatch(b.prompts(), b.responses(), b.promptIds(), b.responseIds(), b.stopped(), b.R(),
                    b.mask(), stale, b.refLogProbs(), b.kl(), b.entropy(), b.values(), b.scores(), b.rewards(),
                    b.advantages(), b.returns(), b.beta());
            Map<String, float[]> p0 = snapshot(t.policy().namedParameters());
            Map<String, float[]> v0 = snapshot(t.valueModel().namedParameters());
            Map<String, float[]> m0 = t.policyOptimizer().state(), n0 = t.valueOptimizer().state();
            PpoEpochs.Optimized o = t.optimize(far);
            assertEquals(cfg.ppoEpochs() * cfg.miniBatches(), o.skipped());
            assertTrue(o.ratioMean() > cfg.ratioThreshold(), "mean ratio " + o.ratioMean());
            t.policy().namedParameters().forEach((k, v) -> assertArrayEquals(p0.get(k), v.toArray(), "policy " + k));
            t.valueModel().namedParameters().forEach((k, v) -> assertArrayEquals(v0.get(k), v.toArray(), "value " + k));
            assertEquals(0, t.policyOptimizer().stepCount());
            assertEquals(0, t.valueOptimizer().stepCount());
            t.policyOptimizer().state().forEach((k, v) -> assertArrayEquals(m0.get(k), v, "policy Adam " + k));
            t.valueOptimizer().state().forEach((k, v) -> assertArrayEquals(n0.get(k), v, "value Adam " + k));
        }
    }

    /**
     * Through the public path: a threshold barely above 1, a large learning rate and several epochs of
     * small minibatches push some minibatch's mean ratio past it. Each skip is counted, and the optimizers
     * stepped exactly once per minibatch that was not skipped.
     */
    @Test
    void skippedMinibatchesAreCountedAndTakeNoStep() {
        PpoConfig cfg = TinyPpo.ppo().withRatioThreshold(1.001).withLr(3e-2).withPpoEpochs(4).withMiniBatches(4)
                .withStopToken("none").withSeed(1);
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(3), TinyPpo.TOKENIZER, REWARD, cfg)) {
            int total = 0, skipped = 0;
            for (int i = 0; i < 2; i++) {
                PpoIteration it = t.step(TinyPpo.prompts(8));
                skipped += (int) it.metric("ppo/skipped_minibatches");
                total += cfg.ppoEpochs() * cfg.miniBatches();
                assertEquals(total - skipped, t.policyOptimizer().stepCount(), "iteration " + (i + 1));
                assertEquals(total - skipped, t.valueOptimizer().stepCount(), "iteration " + (i + 1));
            }
            assertTrue(skipped > 0 && skipped < total, skipped + " of " + total + " minibatches skipped");
        }
    }
}
