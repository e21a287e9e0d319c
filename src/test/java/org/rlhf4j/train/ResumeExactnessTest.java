package org.rlhf4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.embedding.ChildJvm;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.ppo.PpoConfig;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.ppo.PpoTrainer;
import org.rlhf4j.rlhf.reward.OverLength;
import org.rlhf4j.rlhf.reward.RewardCheckpoint;
import org.rlhf4j.rlhf.reward.RewardConfig;
import org.rlhf4j.rlhf.reward.RewardListener;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.rlhf.reward.RewardTrainer;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * RELIABILITY.md's exact resume, for all three trainers in one place, at 1 and 2 kernel threads:
 * K steps + save + load into fresh objects + K steps == 2K straight steps, bit for bit (every logged
 * number but the timings, the final weights, AdamW's moments and step). Pretraining resumes in a fresh
 * JVM ({@link ResumeChild}); reward training and PPO in fresh objects of this JVM, loaded from disk.
 * Tiny models: the whole class takes seconds.
 */
class ResumeExactnessTest {

    private static final int K = 3;

    /** Runs {@code body} on the current backend with a pool of {@code threads}, then restores the backend. */
    private static void withThreads(int threads, ThrowingRunnable body) throws Exception {
        Kernels before = Backends.current();
        try (Parallel p = Parallel.ofThreads(threads)) {
            Backends.use(Backends.create(before.name(), p));
            try {
                body.run();
            } finally {
                Backends.use(before);
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- pretraining: K steps, exit, a fresh JVM loads and runs K more ----

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void pretraining(int threads, @TempDir Path straight, @TempDir Path split) throws Exception {
        withThreads(threads, () -> TrainerTest.fresh(TrainerTest.config(2 * K), straight, TrainListener.NONE).run());
        child(threads, split, "start", split.toString(), String.valueOf(K), String.valueOf(2 * K));
        child(threads, split, "resume", split.toString());
        assertSameRows(new MetricsLog(straight.resolve(MetricsLog.FILE)).read(),
                new MetricsLog(split.resolve(MetricsLog.FILE)).read(), 2 * K,
                List.of("step", "train_loss", "grad_norm", "lr", "val_loss", "skipped_steps"));
        ModelCheckpoint.Loaded a = ModelCheckpoint.load(straight), b = ModelCheckpoint.load(split);
        assertSameTensors(a.data().weights(), b.data().weights());
        assertSameTensors(a.data().optimizer(), b.data().optimizer());
        assertEquals(a.data().state().get("optimizer_step"), b.data().state().get("optimizer_step"));
        assertEquals(a.data().state().get("rng"), b.data().state().get("rng"));
    }

    private static void child(int threads, Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + Backends.BACKEND_PROPERTY + "=" + Backends.currentName(),
                "-D" + Backends.THREADS_PROPERTY + "=" + threads, "-XX:TieredStopAtLevel=1"));
        if (Backends.simdAvailable()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(ChildJvm.main(ResumeChild.class));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("child-" + args[0] + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child " + args[0] + " timed out; log: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "child " + args[0] + ": " + Files.readString(log));
    }

    // ---- reward training: K steps, checkpoint, RewardTrainer.resume from disk, K more ----

    private static final CharTokenizer ABCD = CharTokenizer.fromCorpus("abcd:");

    private static RewardConfig rewardConfig() {
        // 20 preferences in batches of 8: the resume point (step 3) falls 4 into the second epoch's shuffle
        return RewardConfig.fromScratch().withBatchSize(8).withMaxIters(2 * K).withWarmupIters(2).withLr(1e-2)
                .withIntervals(2, 1, 0).withMaxLength(16, OverLength.DROP);
    }

    private static RewardModel rewardModel() {
        return RewardModel.fromScratch(new GptConfig(ABCD.vocabSize(), 16, 1, 2, 16, 0f, true, 1e-5f, 0.02f), ABCD,
                16, rewardConfig().seed());
    }

    /** Pairs of 6-letter strings; the one with more a's is chosen. */
    private static List<Preference> preferences(long seed, int n) {
        Generator gen = new Generator(seed);
        List<Preference> out = new ArrayList<>();
        while (out.size() < n) {
            String x = text(gen), y = text(gen);
            long ax = x.chars().filter(c -> c == 'a').count(), ay = y.chars().filter(c -> c == 'a').count();
            if (ax != ay) {
                out.add(ax > ay ? new PairwisePreference("b:", x, y) : new PairwisePreference("", y, x));
            }
        }
        return out;
    }

    private static String text(Generator gen) {
        char[] c = new char[6];
        for (int i = 0; i < c.length; i++) {
            c[i] = "abcd".charAt(Math.min(3, (int) (gen.nextUniform() * 4)));
        }
        return new String(c);
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void rewardTraining(int threads, @TempDir Path straight, @TempDir Path split) throws Exception {
        List<Preference> train = preferences(1, 20), eval = preferences(2, 6);
        withThreads(threads, () -> {
            RewardTrainer a = RewardTrainer.start(rewardModel(), rewardConfig(), train, eval, straight, RewardListener.NONE);
            a.run();
            RewardTrainer first = RewardTrainer.start(rewardModel(), rewardConfig(), train, eval, split,
                    RewardListener.NONE);
            first.runUntil(K);
            RewardTrainer b = RewardTrainer.resume(split, train, eval, RewardListener.NONE);
            assertEquals(K, b.step());
            b.run();
            assertSameRows(new MetricsLog(straight.resolve(RewardTrainer.METRICS)).read(),
                    new MetricsLog(split.resolve(RewardTrainer.METRICS)).read(), 2 * K,
                    List.of("step", "loss", "accuracy", "lr", "grad_norm", "eval_loss", "eval_accuracy", "eval_margin"));
            assertSameParams(a.model().namedParameters(), b.model().namedParameters());
            assertSameOptimizer(a.optimizer(), b.optimizer());
            assertSameTensors(RewardCheckpoint.loadWithData(straight).data().weights(),
                    RewardCheckpoint.loadWithData(split).data().weights());
            // resuming on other preferences is refused, not silently continued
            assertThrows(CheckpointException.class,
                    () -> RewardTrainer.resume(split, preferences(3, 20), eval, RewardListener.NONE));
        });
    }

    // ---- PPO: N iterations, save, PpoTrainer.resume from disk, N more ----

    private static final CharTokenizer PPO_TOKENS = CharTokenizer.fromCorpus("abcdefgh .");
    private static final RewardSource REWARD = RewardSource.fromFunction((p, r) -> r.startsWith("a") ? 1 : 0);
    private static final List<String> PROMPTS = List.of("ab", "c", "dd e", "fgh", "a.b", "hh", "e f g", "bad");

    /** Adaptive KL, running score normalization and gradient accumulation on: all must survive. */
    private static PpoConfig ppoConfig() {
        return PpoConfig.defaults().withRolloutBatch(8).withMaxNewTokens(6).withPpoEpochs(2).withMiniBatches(2)
                .withTemperature(1f).withLr(3e-3).withStopToken(".").withScoreNorm(PpoConfig.ScoreNorm.NORMALIZE)
                .withGradAccum(2).withInitKlCoef(0.1).withKlHorizon(50).withSeed(4);
    }

    private static Gpt policy() {
        return new Gpt(new GptConfig(PPO_TOKENS.vocabSize(), 24, 1, 2, 16, 0f, true, 1e-5f, 0.02f), new Generator(2));
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void ppo(int threads, @TempDir Path dir) throws Exception {
        int n = 2;
        withThreads(threads, () -> {
            List<PpoIteration> straight = new ArrayList<>(), resumed = new ArrayList<>();
            try (PpoTrainer a = new PpoTrainer(policy(), PPO_TOKENS, REWARD, ppoConfig())) {
                for (int i = 0; i < 2 * n; i++) {
                    straight.add(a.step(PROMPTS));
                }
                try (PpoTrainer first = new PpoTrainer(policy(), PPO_TOKENS, REWARD, ppoConfig())) {
                    for (int i = 0; i < n; i++) {
                        first.step(PROMPTS);
                    }
                    first.save(dir.resolve("ck"));
                }
                try (PpoTrainer b = PpoTrainer.resume(dir.resolve("ck"), REWARD)) {
                    assertEquals(n, b.iteration());
                    for (int i = 0; i < n; i++) {
                        resumed.add(b.step(PROMPTS));
                    }
                    for (int i = 0; i < n; i++) {
                        PpoIteration x = straight.get(n + i), y = resumed.get(i);
                        for (String k : PpoIteration.KEYS) {
                            if (!k.startsWith("time/")) {
                                assertEquals(x.metric(k), y.metric(k), 0.0, "iteration " + x.iteration() + " " + k);
                            }
                        }
                        assertEquals(x.samples(), y.samples(), "samples of iteration " + x.iteration());
                    }
                    // the whole state, through the checkpoint: policy, reference and value weights, both
                    // optimizers' moments and steps, the generator, the KL coefficient, the score moments
                    a.save(dir.resolve("a"));
                    b.save(dir.resolve("b"));
                    CheckpointData x = Checkpoint.load(dir.resolve("a")), y = Checkpoint.load(dir.resolve("b"));
                    assertSameTensors(x.weights(), y.weights());
                    assertSameTensors(x.optimizer(), y.optimizer());
                    assertEquals(x.state(), y.state());
                    assertEquals(a.beta(), b.beta(), 0.0);
                }
            }
        });
    }

    // ---- comparisons: exact, no tolerance ----

    private static void assertSameRows(List<JsonNode> a, List<JsonNode> b, int rows, List<String> keys) {
        assertEquals(rows, a.size(), "rows of the straight run");
        assertEquals(rows, b.size(), "rows of the resumed run");
        for (int i = 0; i < rows; i++) {
            for (String key : keys) {
                assertEquals(a.get(i).get(key), b.get(i).get(key), key + " of row " + i);
            }
        }
    }

    private static void assertSameTensors(List<NamedTensor> a, List<NamedTensor> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertArrayEquals(a.get(i).data(), b.get(i).data(), a.get(i).name());
        }
    }

    private static void assertSameParams(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v.toArray(), b.get(k).toArray(), k));
    }

    private static void assertSameOptimizer(AdamW a, AdamW b) {
        assertEquals(a.stepCount(), b.stepCount(), "AdamW step");
        assertEquals(a.state().keySet(), b.state().keySet());
        a.state().forEach((k, v) -> assertArrayEquals(v, b.state().get(k), k));
    }
}
