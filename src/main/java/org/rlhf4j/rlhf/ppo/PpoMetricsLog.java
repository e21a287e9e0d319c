package org.rlhf4j.rlhf.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.rlhf4j.train.MetricsLog;

/**
 * {@code metrics.jsonl} of a PPO run: one JSON object per iteration, {@code {"iteration": n}} followed by every
 * key of {@link PpoIteration#KEYS} (TRL's names). A non-finite value is written as null (JSON has no NaN).
 */
public final class PpoMetricsLog {

    public static final String FILE = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public PpoMetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The JSON object of one iteration. */
    public static ObjectNode toJson(PpoIteration it) {
        ObjectNode o = JSON.createObjectNode();
        o.put("iteration", it.iteration());
        it.metrics().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                o.put(k, v);
            } else {
                o.putNull(k);
            }
        });
        return o;
    }

    /** Appends one line for {@code it}. */
    public void append(PpoIteration it) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(file, (JSON.writeValueAsString(toJson(it)) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Keeps the rows of iterations up to {@code iteration} (0: removes the file), for a resumed run. */
    public void truncateAfter(int iteration) throws IOException {
        MetricsLog.truncateAfter(file, "iteration", iteration);
    }

    /** Every row, parsed. */
    public List<JsonNode> read() throws IOException {
        return MetricsLog.read(file);
    }
}
