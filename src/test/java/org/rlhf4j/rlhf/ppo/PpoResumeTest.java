package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.train.ModelCheckpoint;

/** N iterations + save + fresh load + N iterations == 2N straight iterations, bit for bit. */
class PpoResumeTest {

    private static final RewardSource REWARD = RewardSource.fromFunction((p, r) -> r.startsWith("a") ? 1 : 0);
    private static final int N = 2;

    /** Adaptive KL and running score normalization on, so that both states must survive the round trip. */
    private static PpoConfig config() {
        return TinyPpo.ppo().withStopToken(".").withScoreNorm(PpoConfig.ScoreNorm.NORMALIZE).withGradAccum(2)
                .withInitKlCoef(0.1).withKlHorizon(50).withSeed(4);
    }

    @Test
    void resumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        List<PpoIteration> straight = new ArrayList<>();
        PpoTrainer a = new PpoTrainer(TinyPpo.policy(2), TinyPpo.TOKENIZER, REWARD, config());
        for (int i = 0; i < 2 * N; i++) {
            straight.add(a.step(TinyPpo.prompts(8)));
        }
        PpoTrainer b = new PpoTrainer(TinyPpo.policy(2), TinyPpo.TOKENIZER, REWARD, config());
        for (int i = 0; i < N; i++) {
            b.step(TinyPpo.prompts(8));
        }
        b.save(dir.resolve("ck"));
        b.close();
        PpoTrainer c = PpoTrainer.resume(dir.resolve("ck"), REWARD);
        assertEquals(N, c.iteration());
        List<PpoIteration> resumed = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            resumed.add(c.step(TinyPpo.prompts(8)));
        }
        for (int i = 0; i < N; i++) {
            PpoIteration x = straight.get(N + i), y = resumed.get(i);
            assertEquals(x.iteration(), y.iteration());
            for (String k : PpoIteration.KEYS) {
                if (!k.startsWith("time/")) {
                    assertEquals(x.metric(k), y.metric(k), 0.0, "iteration " + x.iteration() + " " + k);
                }
            }
            assertEquals(x.samples(), y.samples());
        }
        assertSame(a.policy().namedParameters(), c.policy().namedParameters(), "policy");
        assertSame(a.reference().namedParameters(), c.reference().namedParameters(), "reference");
        assertSame(a.valueModel().namedParameters(), c.valueModel().namedParameters(), "value");
        assertEquals(a.beta(), c.beta(), 0.0);
        assertEquals(a.policyOptimizer().stepCount(), c.policyOptimizer().stepCount());
        a.policyOptimizer().state().forEach((k, v) -> assertArrayEquals(v, c.policyOptimizer().state().get(k), k));
        a.valueOptimizer().state().forEach((k, v) -> assertArrayEquals(v, c.valueOptimizer().state().get(k), k));
    }

    @Test
    void thePolicyAloneLoadsAsALanguageModel(@TempDir Path dir) throws Exception {
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(2), TinyPpo.TOKENIZER, REWARD, config())) {
            t.step(TinyPpo.prompts(8));
            t.savePolicy(dir.resolve("policy"));
            ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(dir.resolve("policy"));
            assertSame(t.policy().namedParameters(), loaded.model().namedParameters(), "policy");
            assertEquals(TinyPpo.TOKENIZER, loaded.tokenizer());
            // and a language-model checkpoint is no PPO checkpoint
            assertThrows(CheckpointException.class, () -> PpoTrainer.resume(dir.resolve("policy"), REWARD));
        }
    }

    private static void assertSame(Map<String, Tensor> x, Map<String, Tensor> y, String what) {
        assertEquals(x.keySet(), y.keySet(), what);
        x.forEach((k, v) -> assertArrayEquals(v.toArray(), y.get(k).toArray(), what + " " + k));
    }
}
