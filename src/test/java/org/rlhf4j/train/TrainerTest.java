package org.rlhf4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.SftEncoder;
import org.rlhf4j.data.SftExample;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * The trainer: TRL's smoke test (every trainable parameter changes, the loss is finite, metrics.jsonl
 * holds the promised keys) and RELIABILITY.md's exact resume (K steps + checkpoint + load into fresh
 * objects + K steps gives, bit for bit, the losses and weights of 2K straight steps). The tiny model
 * has biases and dropout 0.1, and the recipe accumulates 2 micro-batches, so every piece of state
 * that a resume must restore (dropout and batch generators, moments, step) is exercised.
 */
class TrainerTest {

    static final String TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\n"
            + "Speak, speak.\n\nFirst Citizen:\nYou are all resolved rather to die than to famish?\n\n";

    static final CharTokenizer TOKENIZER = CharTokenizer.fromCorpus(TEXT);

    static TrainingData data() {
        return TrainingData.blocks(TokenStream.encode(TOKENIZER, TEXT.repeat(6)).split());
    }

    static GptConfig model() {
        return new GptConfig(TOKENIZER.vocabSize(), 16, 2, 2, 16, 0.1f, true, 1e-5f, 0.02f);
    }

    static TrainConfig config(int maxIters) {
        return new TrainConfig(3, 16, maxIters, 3e-3, 3e-4, 2, maxIters, 0.9, 0.99, 0.1, 1.0, 2, 2, 3, 1, 0, 7L);
    }

    /** Every step's metrics, as the listener saw them. */
    static final class Recorder implements TrainListener {
        final List<StepMetrics> steps = new ArrayList<>();

        @Override
        public void step(StepMetrics m) {
            steps.add(m);
        }
    }

    static Trainer fresh(TrainConfig cfg, Path dir, TrainListener l) throws IOException {
        return Trainer.start(new Gpt(model(), new Generator(cfg.seed())), TOKENIZER, cfg, data(), dir, l);
    }

    @Test
    void smokeEveryParameterChangesLossFiniteMetricsWritten(@TempDir Path dir) throws IOException {
        Recorder rec = new Recorder();
        Trainer t = fresh(config(6), dir, rec);
        Map<String, float[]> before = new LinkedHashMap<>();
        t.model().namedParameters().forEach((n, p) -> before.put(n, p.toArray()));
        t.run();
        t.model().namedParameters().forEach((n, p) -> assertFalse(java.util.Arrays.equals(before.get(n), p.toArray()),
                n + " did not change"));
        assertEquals(6, rec.steps.size());
        rec.steps.forEach(m -> assertTrue(Double.isFinite(m.trainLoss()) && Double.isFinite(m.gradNorm()), m.toString()));
        List<JsonNode> rows = new MetricsLog(dir.resolve(MetricsLog.FILE)).read();
        assertEquals(6, rows.size());
        for (JsonNode r : rows) {
            for (String key : List.of("step", "train_loss", "tokens_per_sec", "lr", "grad_norm", "elapsed_sec")) {
                assertTrue(r.get(key).isNumber(), key + " in " + r);
            }
            boolean evaluated = r.get("step").asInt() % 3 == 0;
            assertEquals(evaluated, r.has("val_loss"), r.toString());
            assertEquals(evaluated, r.has("eval_train_loss"), r.toString());
        }
        assertTrue(Files.exists(dir.resolve("checkpoint/model.safetensors")));
        assertTrue(Files.exists(dir.resolve("checkpoint/optimizer.safetensors")));
        assertEquals(6, t.optimizer().stepCount());
    }

    @Test
    void resumeIsBitExact(@TempDir Path straightDir, @TempDir Path splitDir) throws IOException {
        int K = 4;
        Recorder straight = new Recorder();
        Trainer a = fresh(config(2 * K), straightDir, straight);
        a.run();

        Recorder split = new Recorder();
        fresh(config(2 * K), splitDir, split).runUntil(K);
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(splitDir.resolve(Trainer.CHECKPOINT_DIR));
        Trainer b = Trainer.resume(loaded, data(), splitDir, split);
        assertEquals(K, b.step());
        b.run();

        assertEquals(2 * K, split.steps.size());
        for (int i = 0; i < 2 * K; i++) {
            StepMetrics x = straight.steps.get(i), y = split.steps.get(i);
            assertEquals(x.step(), y.step());
            assertEquals(Double.doubleToRawLongBits(x.trainLoss()), Double.doubleToRawLongBits(y.trainLoss()), "loss " + i);
            assertEquals(Double.doubleToRawLongBits(x.gradNorm()), Double.doubleToRawLongBits(y.gradNorm()), "norm " + i);
            assertEquals(Double.doubleToRawLongBits(x.valLoss()), Double.doubleToRawLongBits(y.valLoss()), "val " + i);
        }
        Map<String, Tensor> pa = a.model().namedParameters(), pb = b.model().namedParameters();
        pa.forEach((n, p) -> assertArrayEquals(p.toArray(), pb.get(n).toArray(), n)); // exact, NaN-free
        // metrics.jsonl of the interrupted run reads as the straight run's (losses; timing differs)
        List<JsonNode> ra = new MetricsLog(straightDir.resolve(MetricsLog.FILE)).read();
        List<JsonNode> rb = new MetricsLog(splitDir.resolve(MetricsLog.FILE)).read();
        assertEquals(ra.size(), rb.size());
        for (int i = 0; i < ra.size(); i++) {
            assertEquals(ra.get(i).get("step"), rb.get(i).get("step"));
            assertEquals(ra.get(i).get("train_loss"), rb.get(i).get("train_loss"));
            assertEquals(ra.get(i).get("val_loss"), rb.get(i).get("val_loss"));
        }
    }

    @Test
    void resumeDropsMetricsRowsWrittenAfterTheCheckpoint(@TempDir Path dir) throws IOException {
        TrainConfig cfg = config(8).withIntervals(2, 3, 1, 2); // checkpoints at 2, 4, ...
        fresh(cfg, dir, TrainListener.NONE).runUntil(2);
        MetricsLog log = new MetricsLog(dir.resolve(MetricsLog.FILE));
        Files.writeString(log.file(), "{\"step\":3,\"train_loss\":1.0}\n{\"step\":4,\"tra",
                java.nio.file.StandardOpenOption.APPEND); // a crash after step 3, mid-row
        Trainer.resume(ModelCheckpoint.load(dir), data(), dir, TrainListener.NONE);
        assertEquals(List.of(1, 2), log.read().stream().map(r -> r.get("step").asInt()).toList());
    }

    @Test
    void resumeOnOtherDataIsRefused(@TempDir Path dir) throws IOException {
        fresh(config(4), dir, TrainListener.NONE).runUntil(1);
        TrainingData other = TrainingData.blocks(TokenStream.encode(TOKENIZER, TEXT.repeat(7)).split());
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Trainer.resume(ModelCheckpoint.load(dir), other, dir, TrainListener.NONE));
        assertTrue(e.getMessage().contains("same corpus"), e.getMessage());
    }

    @Test
    void savedModelLoadsWithIdenticalLogits(@TempDir Path dir) throws IOException {
        Trainer t = fresh(config(2), dir, TrainListener.NONE);
        t.run();
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(dir);
        assertEquals(model(), loaded.model().config);
        assertEquals(TOKENIZER, loaded.tokenizer());
        int[] ids = TOKENIZER.encode("Speak, speak.");
        t.model().eval();
        assertArrayEquals(t.model().forward(ids, 1, ids.length).toArray(),
                loaded.model().forward(ids, 1, ids.length).toArray());
    }

    @Test
    void sftTrainsOnCompletionsOnly(@TempDir Path dir) throws IOException {
        SftEncoder enc = new SftEncoder(TOKENIZER, 16, SftEncoder.OverlongPolicy.TRUNCATE);
        List<SftEncoder.Sequence> rows = enc.encodeAll(List.of(new SftExample("All:\n", "Speak, speak.", "t", 1),
                new SftExample("First Citizen:\n", "You are all resolved", "t", 2))).sequences();
        Recorder rec = new Recorder();
        TrainConfig cfg = config(3);
        Trainer t = Trainer.start(new Gpt(model(), new Generator(1)), TOKENIZER, cfg, TrainingData.sft(rows, rows), dir, rec);
        Map<String, float[]> before = new LinkedHashMap<>();
        t.model().namedParameters().forEach((n, p) -> before.put(n, p.toArray()));
        t.run();
        t.model().namedParameters().forEach((n, p) -> assertFalse(java.util.Arrays.equals(before.get(n), p.toArray()), n));
        assertTrue(rec.steps.stream().allMatch(m -> Double.isFinite(m.trainLoss())));
        assertTrue(rec.steps.get(2).evaluated());
    }

    @Test
    void aNonFiniteGradientSkipsTheUpdateAndIsCounted(@TempDir Path dir) throws IOException {
        // lr 1e30 with decay sends the weights to infinity after one step; the loss and gradients turn NaN
        TrainConfig cfg = new TrainConfig(3, 16, 3, 1e30, 1e30, 0, 3, 0.9, 0.99, 0.1, 1.0, 1, 1, 10, 1, 0, 7L);
        Recorder rec = new Recorder();
        Trainer t = Trainer.start(new Gpt(model(), new Generator(7)), TOKENIZER, cfg, data(), dir, rec);
        t.runUntil(1);
        Map<String, float[]> after1 = new LinkedHashMap<>();
        t.model().namedParameters().forEach((n, p) -> after1.put(n, p.toArray()));
        Map<String, float[]> moments1 = t.optimizer().state();
        t.run();
        assertEquals(2, t.skippedSteps());
        assertEquals(1, t.optimizer().stepCount(), "AdamW took only the finite step");
        t.model().namedParameters().forEach((n, p) -> assertArrayEquals(after1.get(n), p.toArray(), n));
        t.optimizer().state().forEach((k, v) -> assertArrayEquals(moments1.get(k), v, "bit-identical moment " + k));
        List<JsonNode> rows = new MetricsLog(dir.resolve(MetricsLog.FILE)).read();
        assertTrue(rows.get(2).get("skipped").asBoolean() && rows.get(2).get("grad_norm").isNull(), rows.toString());
        assertEquals(List.of(0L, 1L, 2L), rows.stream().map(r -> r.get("skipped_steps").asLong()).toList());
        Trainer resumed = Trainer.resume(ModelCheckpoint.load(dir.resolve(Trainer.CHECKPOINT_DIR)), data(), dir,
                TrainListener.NONE);
        assertEquals(2, resumed.skippedSteps(), "the count is in the checkpoint");
    }
}
