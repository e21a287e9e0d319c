package org.rlhf4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per logged step, appended as the run goes. Fields:
 * <pre>
 *   step             optimizer steps done (1 .. max_iters)
 *   train_loss       mean loss of that step's micro-batches, before the update
 *   lr               the step's learning rate
 *   grad_norm        global gradient norm before clipping
 *   tokens_per_sec   training tokens per second since the previous row (eval/checkpoint time excluded)
 *   elapsed_sec      wall-clock seconds since the run began (summed over resumed sessions)
 *   val_loss         mean validation loss over eval_iters batches (only on evaluated steps)
 *   eval_train_loss  the same on the training split (only on evaluated steps)
 *   skipped          true when a non-finite gradient skipped the update (only then)
 *   skipped_steps    steps skipped so far in the run, this one included (resumed runs carry it on)
 * </pre>
 * A value that is not finite is written as null (JSON has no NaN).
 */
public final class MetricsLog {

    public static final String FILE = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends one row for {@code m}, without a skipped_steps total. */
    public void append(StepMetrics m) throws IOException {
        append(m, -1);
    }

    /** Appends one row for {@code m} with the run's skipped-step total so far ({@code skippedSteps < 0}: none). */
    public void append(StepMetrics m, long skippedSteps) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", m.step());
        put(o, "train_loss", m.trainLoss());
        put(o, "lr", m.lr());
        put(o, "grad_norm", m.gradNorm());
        put(o, "tokens_per_sec", m.tokensPerSec());
        put(o, "elapsed_sec", m.elapsedSec());
        if (m.evaluated()) {
            put(o, "val_loss", m.valLoss());
            put(o, "eval_train_loss", m.evalTrainLoss());
        }
        if (m.skipped()) {
            o.put("skipped", true);
        }
        if (skippedSteps >= 0) {
            o.put("skipped_steps", skippedSteps);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /**
     * Keeps only the rows of steps up to {@code step} (0: none, the file is removed), so that a resumed
     * run does not repeat the steps done after its checkpoint. Rewrites through a temp file and a rename.
     */
    public void truncateAfter(int step) throws IOException {
        truncateAfter(file, "step", step);
    }

    /**
     * Keeps the rows of the JSONL {@code file} whose {@code key} is at most {@code upTo} (0: removes the
     * file); a row without the key, or a torn last line from a crash, is dropped. Rewrites through a temp
     * file and an atomic rename. Shared by every log of a resumable loop (steps, PPO iterations).
     */
    public static void truncateAfter(Path file, String key, long upTo) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        if (upTo == 0) {
            Files.delete(file);
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && rowValue(line, key) <= upTo) {
                kept.add(line);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long rowValue(String line, String key) {
        try {
            return JSON.readTree(line).path(key).asLong(Long.MAX_VALUE);
        } catch (IOException e) {
            return Long.MAX_VALUE; // a torn last line from a crash: dropped
        }
    }

    /** Every row of the file, parsed (for tests and tools). */
    public List<JsonNode> read() throws IOException {
        return read(file);
    }

    /** Every row of the JSONL {@code file}, parsed. */
    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
