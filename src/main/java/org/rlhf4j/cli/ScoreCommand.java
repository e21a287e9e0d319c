package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.ScoringInput;
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

    @Option(names = "--max-bad-lines", paramLabel = "<n>", defaultValue = "0",
            description = "Skip up to n malformed --input lines (counted on stderr) instead of stopping at the "
                    + "first (default: ${DEFAULT-VALUE}).")
    int maxBadLines;

    @Override
    public Integer call() throws IOException {
        ProgressBar.Mode mode = ProgressBar.Mode.parse(progress, spec);
        RewardSource scorer = scorer();
        List<ScoringInput.Item> items = in.input != null ? readInput(in.input, maxBadLines, spec, "--input") : texts();
        PrintWriter err = spec.commandLine().getErr();
        Writer sink = output == null ? spec.commandLine().getOut() : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try {
            long start = System.nanoTime(), lastDraw = 0;
            for (int from = 0; from < items.size(); from += CHUNK) {
                List<ScoringInput.Item> chunk = items.subList(from, Math.min(items.size(), from + CHUNK));
                List<String> prompts = new ArrayList<>(), responses = new ArrayList<>();
                chunk.forEach(it -> {
                    prompts.addAll(it.prompts());
                    responses.addAll(it.responses());
                });
                float[] r = scorer.score(prompts, responses);
                int k = 0;
                for (ScoringInput.Item it : chunk) {
                    if (it.pairwise()) {
                        it.line().put("reward_chosen", r[k]);
                        it.line().put("reward_rejected", r[k + 1]);
                        it.line().put("reward", r[k] - r[k + 1]);
                    } else {
                        it.line().put("reward", r[k]);
                    }
                    k += it.responses().size();
                    sink.write(JSON.writeValueAsString(it.line()));
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
    static List<String[]> pairsOf(Path file, int maxBadLines, CommandSpec spec, String option) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (ScoringInput.Item it : readInput(file, maxBadLines, spec, option)) {
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

    private List<ScoringInput.Item> texts() {
        List<ScoringInput.Item> items = new ArrayList<>();
        for (String t : in.texts) {
            if (t.isEmpty()) {
                throw Rlhf4j.usage(spec, "--text: an empty text has no reward (no token to read it at)");
            }
            ObjectNode o = JSON.createObjectNode().put("text", t);
            items.add(new ScoringInput.Item(o, List.of(""), List.of(t)));
        }
        return items;
    }

    /**
     * Every line of the file as an item ({@link ScoringInput}: strict JSONL; a bad line is a
     * {@link org.rlhf4j.data.DatasetFormatException} naming file, line and field, which exits 2). With
     * {@code maxBadLines > 0}, up to that many bad lines are skipped and counted on stderr.
     */
    static List<ScoringInput.Item> readInput(Path file, int maxBadLines, CommandSpec spec, String option)
            throws IOException {
        if (maxBadLines < 0) {
            throw Rlhf4j.usage(spec, "--max-bad-lines must be >= 0, got " + maxBadLines);
        }
        if (!Files.isRegularFile(file)) {
            throw Rlhf4j.usage(spec, option + ": " + file + (Files.exists(file) ? " is not a regular file"
                    : " does not exist") + "; give a JSONL file");
        }
        ScoringInput.Data data = ScoringInput.read(file, maxBadLines > 0
                ? PreferenceReader.Options.lenient(maxBadLines) : PreferenceReader.Options.strict());
        if (!data.skipped().isEmpty()) {
            spec.commandLine().getErr().printf("%s: skipped %,d bad lines (--max-bad-lines %d); the first: %s%n",
                    option, data.skipped().size(), maxBadLines, data.skipped().get(0).getMessage());
        }
        return data.items();
    }
}
