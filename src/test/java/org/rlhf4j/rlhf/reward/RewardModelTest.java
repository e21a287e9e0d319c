package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.tensor.check.GradCheck;

/** The reward model's readout, gradients, persistence and normalization. */
@ExtendWith(OwnKernels.class)
class RewardModelTest {

    static final CharTokenizer CHARS = CharTokenizer.fromCorpus("abcdefghijklmnop");
    /** 2 layers, 2 heads, C 8, V 16, block 8, with biases; init std 0.3 so every term matters. */
    static final GptConfig TINY = new GptConfig(16, 8, 2, 2, 8, 0f, true, 1e-5f, 0.3f);
    /** As GptGradCheckTest: rtol 1e-3, atol 1e-7 per element summed into a directional derivative. */
    private static final GradCheck.Tolerance TOL = new GradCheck.Tolerance(1e-7, 1e-3);

    static RewardModel tiny(long seed) {
        RewardModel m = RewardModel.fromScratch(TINY, CHARS, 8, seed);
        Generator gen = new Generator(seed + 1);
        m.namedParameters().forEach((name, p) -> {
            if (name.contains("ln_") || name.endsWith(".bias")) { // non-trivial gains and biases
                float[] d = p.data();
                for (int i = 0; i < p.size(); i++) {
                    d[p.offset() + i] += 0.2f * gen.nextGaussian();
                }
            }
        });
        return m;
    }

    /** Rows of lengths 5, 3, 4, 2, 5 over a vocabulary of 16: two rankings, K = 2 and K = 3. */
    static RewardModel.Batch ragged() {
        List<int[]> rows = List.of(new int[] {1, 4, 2, 9, 3}, new int[] {7, 7, 0}, new int[] {15, 2, 8, 5},
                new int[] {3, 11}, new int[] {6, 1, 14, 10, 12});
        return RewardModel.Batch.pad(rows);
    }

    @Test
    void batchLossGradientsMatchDoubleFiniteDifferences() {
        RewardModel model = tiny(3);
        RewardModel.Batch batch = ragged();
        int[][] rankings = {{1, 0}, {2, 0, 1}};
        DoubleRewardModel ref = new DoubleRewardModel(TINY, batch);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.checkDirections("reward model loss",
                in -> RewardLosses.batch(model.rewards(batch), rankings, 0.2f, 0.05f),
                p -> new double[] {ref.loss(p, rankings, 0.2, 0.05)}, TOL, 9, 8, params);
        assertTrue(r.worstGradient() <= 1, r.toString());
    }

    @Test
    void rewardsMatchTheDoubleReferenceAndTheirGradientsToo() {
        RewardModel model = tiny(4);
        RewardModel.Batch batch = ragged();
        DoubleRewardModel ref = new DoubleRewardModel(TINY, batch);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.checkDirections("reward model rewards", in -> model.rewards(batch),
                ref::rewards, TOL, 10, 8, params);
        assertTrue(r.worstGradient() <= 1, r.toString());
    }

    @Test
    void aOnePercentErrorIsCaught() {
        RewardModel model = tiny(3);
        RewardModel.Batch batch = ragged();
        DoubleRewardModel ref = new DoubleRewardModel(TINY, batch);
        Tensor[] params = model.parameters().toArray(new Tensor[0]);
        assertThrows(AssertionError.class, () -> GradCheck.checkDirections("1% off",
                in -> model.rewards(batch).scale(1.01f), ref::rewards, TOL, 10, 8, params));
    }

    @Test
    void theRewardAtTheLastRealTokenIgnoresPadding() {
        RewardModel model = tiny(5);
        int[] row = {3, 9, 1};
        float alone = model.rawRewards(List.of(row))[0];
        for (int pad = 0; pad < 16; pad += 5) { // same shape, any pad id: bit for bit
            int[] ids = {3, 9, 1, pad, pad, pad, 3, 9, 1, 5, 6, 7};
            float[] r = model.rewards(new RewardModel.Batch(ids, new int[] {2, 5}, 2, 6)).toArray();
            RewardModel.Batch zeros = RewardModel.Batch.pad(List.of(row, new int[] {3, 9, 1, 5, 6, 7}));
            assertEquals(Float.floatToRawIntBits(model.rewards(zeros).toArray()[0]), Float.floatToRawIntBits(r[0]),
                    "pad id " + pad);
            // more padding (another T): the same reward up to the rounding of other matmul shapes
            assertEquals(alone, r[0], 1e-5 * (1 + Math.abs(alone)), "padded to 6");
        }
        // and the same row among others of any length, in any order
        List<int[]> rows = new ArrayList<>(List.of(new int[] {4}, new int[] {2, 2, 2, 2, 2, 2, 2, 2}, row));
        assertEquals(alone, model.rawRewards(rows)[2], 1e-5 * (1 + Math.abs(alone)));
    }

    @Test
    void saveThenLoadGivesIdenticalRewards(@TempDir Path dir) throws Exception {
        RewardModel model = tiny(6);
        model.setNormalization(0.5f, -0.25f);
        List<String> prompts = List.of("ab", "", "ponm"), responses = List.of("cd", "a", "lk");
        float[] before = model.score(prompts, responses);
        RewardCheckpoint.save(model, dir.resolve("rm"), RewardCheckpoint.noState());
        RewardModel loaded = RewardCheckpoint.load(dir.resolve("rm"));
        assertArrayEquals(before, loaded.score(prompts, responses));
        assertEquals(0.5f, loaded.gain());
        assertEquals(-0.25f, loaded.bias());
        assertEquals(model.maxLength(), loaded.maxLength());
        assertEquals(List.copyOf(model.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
    }

    @Test
    void normalizationGivesTheReferenceSamplesMean0Std1() {
        RewardModel model = tiny(7);
        List<String> prompts = new ArrayList<>(), responses = new ArrayList<>();
        Generator gen = new Generator(8);
        for (int i = 0; i < 40; i++) {
            StringBuilder p = new StringBuilder(), r = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                p.append((char) ('a' + (int) (gen.nextUniform() * 16)));
                r.append((char) ('a' + (int) (gen.nextUniform() * 16)));
            }
            prompts.add(p.toString());
            responses.add(r.toString());
        }
        model.normalize(prompts, responses, true);
        float[] s = model.score(prompts, responses);
        double mean = 0, var = 0;
        for (float v : s) {
            mean += v / s.length;
        }
        for (float v : s) {
            var += (v - mean) * (v - mean) / s.length;
        }
        assertEquals(0, mean, 1e-5);
        assertEquals(1, Math.sqrt(var), 1e-5);
        model.normalize(prompts, responses, false); // shift only: mean 0, raw spread
        float[] raw = model.rawScores(prompts, responses);
        assertEquals(1f, model.gain());
        assertEquals(raw[0] + model.bias(), model.score(prompts, responses)[0], 1e-6);
    }

    @Test
    void theHeadStartsAsNormalWithStd1OverSqrtCPlus1AndBias0() {
        GptConfig wide = new GptConfig(16, 8, 1, 4, 1024, 0f, true, 1e-5f, 0.02f);
        RewardModel m = RewardModel.fromScratch(wide, CHARS, 8, 9);
        float[] w = m.namedParameters().get(RewardModel.SCORE_WEIGHT).toArray();
        assertArrayEquals(new int[] {1, 1024}, m.namedParameters().get(RewardModel.SCORE_WEIGHT).dims());
        double ss = 0;
        for (float v : w) {
            ss += v * v;
        }
        double expected = 1 / Math.sqrt(1025);
        assertEquals(expected, Math.sqrt(ss / w.length), 0.1 * expected); // 1024 draws: ~2% sampling error
        assertArrayEquals(new float[] {0f}, m.namedParameters().get(RewardModel.SCORE_BIAS).toArray());
    }

    @Test
    void aPretrainedTrunkKeepsItsWeightsAndTokenizerAndLosesItsDropout(@TempDir Path dir) throws Exception {
        Gpt lm = new Gpt(TINY.withDropout(0.2f), new Generator(21));
        org.rlhf4j.io.Checkpoint.save(dir.resolve("lm"), new org.rlhf4j.io.CheckpointData(
                org.rlhf4j.train.ModelCheckpoint.weights(lm), org.rlhf4j.train.ConfigJson.toJson(lm.config),
                CHARS.toJson(), List.of(), RewardCheckpoint.noState()));
        RewardModel rm = RewardCheckpoint.fromPretrained(dir.resolve("lm"), 8, 5);
        assertEquals(0f, rm.trunk().config.dropout());
        assertEquals(CHARS, rm.tokenizer());
        lm.namedParameters().forEach((name, p) ->
                assertArrayEquals(p.toArray(), rm.namedParameters().get(name).toArray(), name));
        assertEquals(lm.namedParameters().size() + 2, rm.namedParameters().size());
        // and a language-model checkpoint is not a reward model
        assertThrows(org.rlhf4j.io.CheckpointException.class, () -> RewardCheckpoint.load(dir.resolve("lm")));
    }

    @Test
    void dropoutIsOff() {
        RewardModel m = RewardModel.fromScratch(TINY.withDropout(0.3f), CHARS, 8, 1);
        assertEquals(0f, m.trunk().config.dropout());
        assertThrows(IllegalArgumentException.class,
                () -> new RewardModel(new Gpt(TINY.withDropout(0.1f), new Generator(1)), CHARS, 8, new Generator(2)));
    }

    @Test
    void scoringKeepsTheEndOfAnOverlongResponse() {
        RewardModel m = tiny(10);
        // maxLength 8: "abcdefghijkl" keeps its last 8 characters, the prompt none of its own
        float r = m.rawScores(List.of("pp"), List.of("abcdefghijkl"))[0];
        assertEquals(m.rawScores(List.of(""), List.of("efghijkl"))[0], r);
        assertEquals(m.rawScores(List.of(""), List.of("ab"))[0], m.rawScores(List.of("ab"), List.of(""))[0],
                "an empty response is read at the prompt's last token");
        assertThrows(IllegalArgumentException.class, () -> m.score(List.of(""), List.of("")));
        assertThrows(IllegalArgumentException.class, () -> m.score(List.of("a", "b"), List.of("c")));
    }
}
