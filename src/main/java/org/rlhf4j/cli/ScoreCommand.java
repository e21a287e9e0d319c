package org.rlhf4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.reward.RewardCheckpoint;
import org.rlhf4j.rlhf.reward.RewardModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j score}: rewards from a reward model ({@code --model}, a train-reward output) or a
 * built-in function ({@code --function length}), for JSONL lines or texts. Input lines are
 * {@code {"prompt", "completion"}}, {@code {"text"}} (no prompt) or pairwise
 * {@code {"prompt", "chosen", "rejected"}}. Each gives one output line: the input's fields plus
 * {@code "reward"}; a pairwise line gets {@code reward_chosen}, {@code reward_rejected}, and as
 * {@code reward} their difference (positive when the model agrees with the label).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score texts or JSONL lines with a reward model (or a built-in function).",
                "Input lines: {\"prompt\", \"completion\"}, {\"text\"}, or {\"prompt\", \"chosen\", \"rejected\"} "
                        + "(then reward = reward_chosen - reward_rejected). Output: one JSON line per input "
                        + "with a \"reward\" field, on stdout or --output."})
final class ScoreCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 256;

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--model", paramLabel = "<dir>", description = "A reward model: the --out of train-reward, "
                + "or its checkpoint/ directory.")
        Path model;

        @Option(names = "--function", paramLabel = "<name>",
                description = "A built-in reward function instead of a model: length (characters of the response).")
        String function;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Input {
        @Option(names = "--input", paramLabel = "<jsonl>", description = "JSONL lines to score.")
        Path input;

        @Option(names = "--text", paramLabel = "<text>", description = "A text to score (repeatable).")
        List<String> texts;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input in;

    @Option(names = "--output", paramLabel = "<jsonl>", description = "Write here instead of stdout.")
    Path output;

    @Option(names = "--raw", description = "Raw model rewards, without the stored normalization.")
    boolean raw;

    @Option(names = "--progress", paramLabel = "<mode>", defaultValue = "auto",
            description = "auto, bar, lines or none (on stderr).")
    String progress;

    /** One thing to score: its output object and the (prompt, response) pairs it needs (1 or 2). */
    private record Item(ObjectNode out, List<String> prompts, List<String> responses) {
    }

    @Override
    public Integer call() throws IOException {
        ProgressBar.Mode mode = ProgressBar.Mode.parse(progress, spec);
        RewardSource scorer = scorer();
        List<Item> items = in.input != null ? readInput(in.input) : texts();
        PrintWriter err = spec.commandLine().getErr();
        Writer sink = output == null ? spec.commandLine().getOut() : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try {
            long start = System.nanoTime(), lastDraw = 0;
            for (int from = 0; from < items.size(); from += CHUNK) {
                List<Item> chunk = items.subList(from, Math.min(items.size(), from + CHUNK));
                List<String> prompts = new ArrayList<>(), responses = new ArrayList<>();
                chunk.forEach(it -> {
                    prompts.addAll(it.prompts());
                    responses.addAll(it.responses());
                });
                float[] r = scorer.score(prompts, responses);
                int k = 0;
                for (Item it : chunk) {
                    if (it.responses().size() == 2) {
                        it.out().put("reward_chosen", r[k]);
                        it.out().put("reward_rejected", r[k + 1]);
                        it.out().put("reward", r[k] - r[k + 1]);
                    } else {
                        it.out().put("reward", r[k]);
                    }
                    k += it.responses().size();
                    sink.write(JSON.writeValueAsString(it.out()));
                    sink.write('\n');
                }
                long now = System.nanoTime();
                int done = Math.min(items.size(), from + CHUNK);
                if (mode == ProgressBar.Mode.BAR || (mode == ProgressBar.Mode.LINES && now - lastDraw > 10_000_000_000L)
                        || (mode == ProgressBar.Mode.LINES && done == items.size())) {
                    String line = String.format(Locale.ROOT, "scored %,d/%,d lines (%.1f s)", done, items.size(),
                            (now - start) / 1e9);
                    err.print(mode == ProgressBar.Mode.BAR ? "\r" + line : line + "\n");
                    err.flush();
                    lastDraw = now;
                }
            }
            if (mode == ProgressBar.Mode.BAR && !items.isEmpty()) {
                err.println();
            }
        } finally {
            sink.flush();
            if (output != null) {
                sink.close();
            }
        }
        return 0;
    }

    /**
     * The (prompt, response) pairs of a JSONL file in score's input forms (a pairwise line gives both of
     * its responses); a bad line is a usage error of {@code spec}'s command.
     */
    static List<String[]> pairsOf(Path file, CommandSpec spec) throws IOException {
        ScoreCommand reader = new ScoreCommand();
        reader.spec = spec;
        List<String[]> out = new ArrayList<>();
        for (Item it : reader.readInput(file)) {
            for (int i = 0; i < it.responses().size(); i++) {
                out.add(new String[] {it.prompts().get(i), it.responses().get(i)});
            }
        }
        return out;
    }

    private RewardSource scorer() throws IOException {
        if (source.function != null) {
            if (!source.function.equals("length")) {
                throw Rlhf4j.usage(spec, "--function " + source.function + ": the built-in functions are: length");
            }
            return RewardSource.fromFunction((p, r) -> r.codePointCount(0, r.length()));
        }
        if (!Files.isDirectory(source.model)) {
            throw Rlhf4j.usage(spec, "--model: " + source.model + (Files.exists(source.model) ? " is not a directory"
                    : " does not exist") + "; give the --out of a train-reward run");
        }
        RewardModel model = RewardCheckpoint.load(source.model);
        if (!raw) {
            return model;
        }
        return model::rawScores;
    }

    private List<Item> texts() {
        List<Item> items = new ArrayList<>();
        for (String t : in.texts) {
            ObjectNode o = JSON.createObjectNode().put("text", t);
            items.add(new Item(o, List.of(""), List.of(nonEmpty(t, "--text"))));
        }
        return items;
    }

    private String nonEmpty(String s, String where) {
        if (s.isEmpty()) {
            throw Rlhf4j.usage(spec, where + ": an empty response has no reward (no token to read it at)");
        }
        return s;
    }

    /** Every line of the file as an {@link Item}; a bad line is a usage error naming file and line. */
    private List<Item> readInput(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw Rlhf4j.usage(spec, "--input: " + file + (Files.exists(file) ? " is not a regular file"
                    : " does not exist") + "; give a JSONL file");
        }
        List<Item> items = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                items.add(item(line, file + ":" + n));
            }
        }
        return items;
    }

    private Item item(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw Rlhf4j.usage(spec, where + ": not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw Rlhf4j.usage(spec, where + ": expected a JSON object");
        }
        String prompt = o.has("prompt") ? text(o, "prompt", where) : "";
        if (o.has("chosen") || o.has("rejected")) {
            return new Item(o, List.of(prompt, prompt),
                    List.of(nonEmpty(text(o, "chosen", where), where + ": chosen"),
                            nonEmpty(text(o, "rejected", where), where + ": rejected")));
        }
        String field = o.has("completion") ? "completion" : o.has("text") ? "text" : null;
        if (field == null) {
            throw Rlhf4j.usage(spec, where + ": needs \"completion\" (with an optional \"prompt\"), \"text\", "
                    + "or \"chosen\" and \"rejected\"");
        }
        return new Item(o, List.of(prompt), List.of(nonEmpty(text(o, field, where), where + ": " + field)));
    }

    private String text(ObjectNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw Rlhf4j.usage(spec, where + ": \"" + field + "\" must be a string, got " + (v == null ? "nothing" : v));
        }
        return v.textValue();
    }
}
