package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.KlEstimators;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.testing.RlhfInvariants;

/**
 * The invariant that catches TRL's "negative KL" class (trl#351, #417, #1161): with the policy equal to the
 * reference and the same sampling settings, before any update, the per-token KL is 0 and the ratio is 1,
 * at any temperature and with padded rows (prompts of different lengths, responses cut at the stop token).
 */
class PpoInvariantsTest {

    private static final RewardSource REWARD = RewardSource.fromFunction((p, r) -> r.length());

    @ParameterizedTest
    @CsvSource({"1.0, K1", "0.7, K1", "1.6, K3", "0.4, K3"})
    void klIsZeroAndRatioIsOneBeforeAnyUpdate(float temperature, KlEstimators.Kind estimator) {
        PpoConfig cfg = TinyPpo.ppo().withTemperature(temperature).withKlEstimator(estimator).withStopToken(".")
                .withMaxNewTokens(8).withSeed(3);
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(5), TinyPpo.TOKENIZER, REWARD, cfg)) {
            // KL 0 and ratio 1 on every real token, no KL on padding
            PpoBatch batch = RlhfInvariants.assertKlZeroAndRatioOneAtStart(t, TinyPpo.prompts(8));
            int padded = 0;
            for (int b = 0; b < batch.size(); b++) {
                padded += batch.length(b) < batch.R() ? 1 : 0;
                assertEquals(batch.stopped()[b], batch.responseIds()[b][batch.length(b) - 1] == t.stopTokenId());
            }
            assertTrue(padded > 0 && padded < batch.size(), "want some rows padded and some full, got " + padded);
            for (int i = 0; i < batch.mask().length; i++) {
                if (batch.mask()[i] != 0) {
                    assertTrue(batch.logProbs()[i] < 0 && Float.isFinite(batch.logProbs()[i]));
                } else {
                    assertEquals(0f, batch.advantages()[i], "padding holds no advantage");
                }
            }
        }
    }

    /**
     * Dropout off everywhere (RLHF.md stage 1 and 3): a policy built with dropout 0.3 (so its reference copy
     * has it too) still gives KL 0 and ratio 1 before any update, which a dropout mask in the policy's or the
     * reference's forward pass would break (each pass draws a fresh mask). The value model runs without
     * dropout as well: its trunk's config says 0 (a reward model refuses anything else) and recomputing the
     * rollout's values, micro-batch by micro-batch as the rollout did, gives the same bits.
     */
    @ParameterizedTest
    @EnumSource(PpoConfig.ValueInit.class)
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    void dropoutIsOffInPolicyReferenceAndValueModel(PpoConfig.ValueInit valueInit) {
        GptConfig dropout = TinyPpo.config().withDropout(0.3f);
        Gpt policy = new Gpt(dropout, new Generator(5));
        RewardModel rm = RewardModel.fromScratch(dropout, TinyPpo.TOKENIZER, dropout.blockSize(), 8);
        PpoConfig cfg = TinyPpo.ppo().withTemperature(0.7f).withStopToken(".").withMaxNewTokens(8)
                .withValueInit(valueInit).withSeed(3);
        try (PpoTrainer t = new PpoTrainer(policy, TinyPpo.TOKENIZER, REWARD, cfg, rm, PpoListener.NONE)) {
            assertEquals(0.3f, t.policy().config.dropout());
            assertEquals(0.3f, t.reference().config.dropout());
            PpoBatch batch = RlhfInvariants.assertKlZeroAndRatioOneAtStart(t, TinyPpo.prompts(8));
            assertEquals(0f, t.valueModel().trunk().config.dropout());
            assertFalse(t.valueModel().trunk().isTraining());
            int R = batch.R(), micro = cfg.rolloutBatch() / cfg.miniBatches() / cfg.gradAccum();
            try (NoGrad ignored = Autograd.noGrad()) {
                for (int from = 0; from < batch.size(); from += micro) {
                    int[] rows = Rows.range(from, Math.min(batch.size(), from + micro));
                    float[] v = Rollouts.values(t.valueModel(), batch.promptIds(), batch.responseIds(), rows, R, 0)
                            .toArray();
                    for (int i = 0; i < v.length; i++) {
                        int at = from * R + i;
                        if (batch.mask()[at] != 0) {
                            assertEquals(batch.values()[at], v[i], "value at row " + (from + i / R) + " token " + i % R);
                        }
                    }
                }
            }
        }
    }

    /**
     * Every recorded log-prob is log softmax(logits / T) of the sampled token, read at the position that
     * predicts it: checked against a separate unbatched forward pass per row, in double.
     */
    @ParameterizedTest
    @CsvSource({"1.0", "0.5", "2.0"})
    void logProbsAreThoseOfTheTemperatureScaledSoftmaxAtThePredictingPosition(float temperature) {
        PpoConfig cfg = TinyPpo.ppo().withTemperature(temperature).withStopToken(".").withSeed(2);
        try (PpoTrainer t = new PpoTrainer(TinyPpo.policy(9), TinyPpo.TOKENIZER, REWARD, cfg)) {
            PpoBatch batch = t.rollout(TinyPpo.prompts(8));
            int V = TinyPpo.TOKENIZER.vocabSize();
            for (int b = 0; b < batch.size(); b++) {
                int[] p = batch.promptIds()[b], y = batch.responseIds()[b];
                int[] seq = new int[p.length + y.length];
                System.arraycopy(p, 0, seq, 0, p.length);
                System.arraycopy(y, 0, seq, p.length, y.length);
                float[] logits = t.policy().forward(seq, 1, seq.length).toArray(); // (1, T, V)
                for (int j = 0; j < y.length; j++) {
                    int pos = p.length - 1 + j;
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int v = 0; v < V; v++) {
                        max = Math.max(max, logits[pos * V + v] / (double) temperature);
                    }
                    for (int v = 0; v < V; v++) {
                        sum += Math.exp(logits[pos * V + v] / (double) temperature - max);
                    }
                    double expected = logits[pos * V + y[j]] / (double) temperature - max - Math.log(sum);
                    assertEquals(expected, batch.logProbs()[b * batch.R() + j], 1e-5, "row " + b + " token " + j);
                }
            }
        }
    }
}
