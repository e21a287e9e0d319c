package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;

/** The reward-model loop: it learns, it is deterministic, it logs what it promises, it counts what it drops. */
@ExtendWith(OwnKernels.class)
class RewardTrainerTest {

    static final CharTokenizer ABCD = CharTokenizer.fromCorpus("abcd:");
    /** 1 layer, 2 heads, C 16, block 16: ~4k parameters. */
    static final GptConfig SMALL = new GptConfig(ABCD.vocabSize(), 16, 1, 2, 16, 0f, true, 1e-5f, 0.02f);

    static RewardConfig quick(int steps) {
        return RewardConfig.fromScratch().withBatchSize(16).withMaxIters(steps).withWarmupIters(Math.min(5, steps)).withLr(1e-2)
                .withIntervals(steps, 5, 0).withMaxLength(16, OverLength.DROP);
    }

    /** A random string of 8 letters from "abcd". */
    static String text(Generator gen) {
        char[] c = new char[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = "abcd".charAt(Math.min(3, (int) (gen.nextUniform() * 4)));
        }
        return new String(c);
    }

    static long as(String s) {
        return s.chars().filter(ch -> ch == 'a').count();
    }

    /** Pairs of strings with different numbers of 'a'; the one with more is chosen. Prompt "q:" or none. */
    static List<Preference> pairs(long seed, int n) {
        Generator gen = new Generator(seed);
        List<Preference> out = new ArrayList<>();
        while (out.size() < n) {
            String x = text(gen), y = text(gen);
            if (as(x) != as(y)) {
                String prompt = out.size() % 2 == 0 ? "" : "b:";
                out.add(as(x) > as(y) ? new PairwisePreference(prompt, x, y) : new PairwisePreference(prompt, y, x));
            }
        }
        return out;
    }

    /** Rankings of 3 strings with distinct numbers of 'a', best (most) first. */
    static List<Preference> rankings(long seed, int n) {
        Generator gen = new Generator(seed);
        List<Preference> out = new ArrayList<>();
        while (out.size() < n) {
            List<String> c = List.of(text(gen), text(gen), text(gen));
            if (c.stream().mapToLong(RewardTrainerTest::as).distinct().count() < 3) {
                continue;
            }
            Integer[] order = {0, 1, 2};
            Arrays.sort(order, (i, j) -> Long.compare(as(c.get(j)), as(c.get(i))));
            out.add(new RankedPreference("", c, List.of(order)));
        }
        return out;
    }

    @Test
    void aTinyRewardModelLearnsToPreferMoreAsOnHeldOutPairs(@TempDir Path dir) throws IOException {
        List<Preference> train = new ArrayList<>(pairs(1, 300));
        train.addAll(rankings(2, 100)); // mixed: pairwise and 3-way rankings in the same batches
        RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, 3);
        RewardTrainer t = RewardTrainer.start(model, quick(120), train, pairs(4, 200), dir, RewardListener.NONE);
        long t0 = System.nanoTime();
        t.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        RewardStepMetrics m = t.lastMetrics();
        assertTrue(m.evalAccuracy() > 0.9, "held-out accuracy " + m.evalAccuracy());
        assertTrue(m.evalMargin() > 0, "mean margin " + m.evalMargin());
        System.out.printf("RewardTrainerTest: held-out accuracy %.3f, margin %.3f after %d steps in %.1f s%n",
                m.evalAccuracy(), m.evalMargin(), m.step(), seconds);
        // the saved model agrees with the one in memory
        RewardModel loaded = RewardCheckpoint.load(dir);
        assertEquals(model.score("", "aaaabbbb"), loaded.score("", "aaaabbbb"));
        assertTrue(loaded.score("", "aaaaaaaa") > loaded.score("", "bbbbbbbb"));
    }

    @Test
    void metricsJsonlHasStepLossAccuracyAndEvaluationFields(@TempDir Path dir) throws IOException {
        RewardTrainer t = RewardTrainer.start(RewardModel.fromScratch(SMALL, ABCD, 16, 3),
                quick(10).withIntervals(4, 2, 0), pairs(1, 40), rankings(5, 10), dir, RewardListener.NONE);
        t.run();
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve(RewardTrainer.METRICS))) {
            rows.add(json.readTree(line));
        }
        assertEquals(List.of(2, 4, 6, 8, 10), rows.stream().map(r -> r.get("step").asInt()).toList());
        for (JsonNode r : rows) {
            assertTrue(r.get("loss").isNumber() && r.get("accuracy").isNumber(), r.toString());
            boolean evaluated = r.get("step").asInt() % 4 == 0 || r.get("step").asInt() == 10;
            assertEquals(evaluated, r.has("eval_accuracy"), r.toString());
            assertEquals(evaluated, r.has("eval_margin"), r.toString());
        }
        // ranked eval records contribute all C(3,2) = 3 pairs each: accuracy is a multiple of 1/30
        double acc = rows.get(rows.size() - 1).get("eval_accuracy").asDouble();
        assertEquals(Math.round(acc * 30), acc * 30, 1e-9);
    }

    @Test
    void afterAFewStepsEveryParameterHasChangedAndTheLossIsFinite(@TempDir Path dir) throws IOException {
        // with centering: without it, see the next test, two parameters get no gradient at all
        RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, 3);
        Map<String, float[]> before = snapshot(model);
        RewardTrainer t = RewardTrainer.start(model, quick(3).withCenterCoef(0.01), pairs(1, 48), List.of(), dir,
                RewardListener.NONE);
        t.run();
        assertTrue(Double.isFinite(t.lastMetrics().loss()));
        model.namedParameters().forEach((name, p) ->
                assertFalse(Arrays.equals(before.get(name), p.toArray()), name + " did not change"));
    }

    @Test
    void withoutCenteringTheLossIgnoresACommonShiftSoTheBiasesThatShiftEveryRewardGetNoGradient() {
        // -log sigma(r_w - r_l) sees differences only: score.bias and ln_f.bias (through score.weight) add
        // the same amount to every reward, so their gradients vanish (to rounding); centering brings them back
        for (double c : new double[] {0, 0.1}) {
            RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, 3);
            RewardEncoder enc = model.encoder(OverLength.DROP);
            List<int[]> rows = new ArrayList<>();
            List<int[]> rankings = new ArrayList<>();
            for (Preference p : concat(pairs(1, 6), rankings(2, 3))) {
                RewardEncoder.Encoded e = enc.encode(p);
                rows.addAll(List.of(e.sequences()));
                rankings.add(e.ranking());
            }
            RewardLosses.batch(model.rewards(RewardModel.Batch.pad(rows)), rankings.toArray(new int[0][]), 0f,
                    (float) c).backward();
            Map<String, org.rlhf4j.tensor.Tensor> params = model.namedParameters();
            double scale = maxAbs(params.get(RewardModel.SCORE_WEIGHT).grad().toArray());
            for (String shift : List.of(RewardModel.SCORE_BIAS, "transformer.ln_f.bias")) {
                double g = maxAbs(params.get(shift).grad().toArray());
                assertEquals(c == 0, g <= 1e-5 * scale, shift + " gradient " + g + " vs " + scale + " at c " + c);
            }
        }
    }

    private static List<Preference> concat(List<Preference> a, List<Preference> b) {
        List<Preference> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static Map<String, float[]> snapshot(RewardModel model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> out.put(name, p.toArray()));
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBit(@TempDir Path dir) throws IOException {
        List<Float> a = losses(dir.resolve("a"), 7), b = losses(dir.resolve("b"), 7), c = losses(dir.resolve("c"), 8);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    private static List<Float> losses(Path dir, long seed) throws IOException {
        List<Float> out = new ArrayList<>();
        RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, seed);
        RewardTrainer.start(model, quick(6).withSeed(seed), pairs(1, 40), List.of(), dir, new RewardListener() {
            @Override
            public void step(RewardStepMetrics m) {
                out.add((float) m.loss());
            }
        }).run();
        out.add(model.score("", "abcabcab"));
        return out;
    }

    @Test
    void overlongPreferencesAreDroppedOrTruncatedAndCounted(@TempDir Path dir) throws IOException {
        List<Preference> data = List.of(
                new PairwisePreference("", "aaaa", "bbbb"),                      // 4 tokens: fits 6
                new PairwisePreference("abcabc", "aaaa", "bbbb"),                // 10: prompt must go
                new PairwisePreference("", "aaaaaaa", "b"),                      // response of 7 > 6
                new RankedPreference("ab", List.of("a", "b", "abcd"), List.of(0, 1, 2))); // 6: fits
        RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, 3);
        RewardTrainer drop = RewardTrainer.start(model, quick(1).withMaxLength(6, OverLength.DROP), data, data,
                dir.resolve("d"), RewardListener.NONE);
        assertEquals(2, drop.trainEncoding().dropped());
        assertEquals(2, drop.trainEncoding().kept().size());
        RewardTrainer cut = RewardTrainer.start(model, quick(1).withMaxLength(6, OverLength.TRUNCATE_PROMPT_LEFT), data,
                data, dir.resolve("t"), RewardListener.NONE);
        assertEquals(1, cut.trainEncoding().dropped()); // the response itself is too long: never cut
        assertEquals(1, cut.trainEncoding().truncated());
        int[][] seqs = cut.trainEncoding().kept().get(1).sequences();
        assertEquals("bcaaaa", ABCD.decode(seqs[0])); // the prompt lost its first 4 characters
        assertEquals("bcbbbb", ABCD.decode(seqs[1]));
    }

    @Test
    void lossAtStartIsNearLog2(@TempDir Path dir) throws IOException {
        // a fresh head (std 1/sqrt(17)) over a fresh trunk: rewards near 0, each pair costs about log 2
        RewardModel model = RewardModel.fromScratch(SMALL, ABCD, 16, 3);
        RewardTrainer t = RewardTrainer.start(model, quick(1), pairs(1, 64), pairs(2, 64), dir, RewardListener.NONE);
        double[] ev = t.evaluate(t.evalEncoding().kept());
        assertEquals(Math.log(2), ev[0], 0.1);
    }
}
