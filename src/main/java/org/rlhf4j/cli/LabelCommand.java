package org.rlhf4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.PreferenceWriter;
import org.rlhf4j.feedback.label.CandidateFile;
import org.rlhf4j.feedback.label.CandidateSource;
import org.rlhf4j.feedback.label.LabelMode;
import org.rlhf4j.feedback.label.LabelServer;
import org.rlhf4j.feedback.label.LabelSession;
import org.rlhf4j.feedback.label.Progress;
import org.rlhf4j.feedback.label.PromptFile;
import org.rlhf4j.feedback.label.SampledCandidates;
import org.rlhf4j.feedback.label.TerminalLabeller;
import org.rlhf4j.nn.SamplingConfig;
import org.rlhf4j.train.ModelCheckpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j label}: people rank (or compare in pairs) completions of prompts, in the terminal or, with
 * {@code --serve}, in a local web page; each answer is appended to {@code --out} at once, and a later run
 * skips the prompts already there. docs/feedback.md, "Labelling your own data".
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Rank or compare model completions by hand, in the terminal or (--serve) in a browser.")
final class LabelCommand implements Callable<Integer> {

    /** Where a test supplies the terminal's input; the command line reads stdin. */
    static InputStream input = System.in;

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--checkpoint", paramLabel = "<dir>", required = true,
                description = "Sample the completions from this checkpoint (or pretrain --out directory).")
        Path checkpoint;

        @Option(names = "--candidates", paramLabel = "<jsonl>", required = true,
                description = "Prepared completions, one {\"prompt\", \"completions\": [...]} per line.")
        Path candidates;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--prompts", paramLabel = "<file>",
            description = "Prompts: JSONL with a \"prompt\" field, or text, one per line. Required with "
                    + "--checkpoint; with --candidates, defaults to the candidates' prompts.")
    Path prompts;

    @Option(names = "--out", paramLabel = "<jsonl>", required = true,
            description = "Where answers are appended; prompts already in it are skipped (resume).")
    Path out;

    @Option(names = "--mode", paramLabel = "rank|pairwise", defaultValue = "rank",
            description = "rank: order K completions (ranked records); pairwise: pick the better of 2 "
                    + "(pairwise records) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--k", paramLabel = "<k>",
            description = "Completions per prompt (default: 4 to rank, 2 for pairwise, which takes only 2).")
    Integer k;

    @Option(names = "--max-tokens", paramLabel = "<n>", defaultValue = "64",
            description = "Tokens to sample per completion (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "<t>", defaultValue = "0.8",
            description = "Softmax temperature, > 0 so completions differ (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "<k>", defaultValue = "200",
            description = "Keep the k most likely tokens, 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "<p>", defaultValue = "1.0",
            description = "Nucleus sampling mass in (0, 1] (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1337",
            description = "Base seed; a prompt's completions are the same in every run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--serve", description = "Label in a browser: serve a local page and print its address.")
    boolean serve;

    @Option(names = "--host", paramLabel = "<host>", defaultValue = "127.0.0.1",
            description = "Address to serve on; the default keeps the page on this machine (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "0",
            description = "Port to serve on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LabelMode labelMode = parseMode();
        int kk = k != null ? k : labelMode == LabelMode.PAIRWISE ? 2 : 4;
        if (labelMode == LabelMode.PAIRWISE && kk != 2) {
            throw Rlhf4j.usage(spec, "--k " + kk + " with --mode pairwise: a pairwise choice compares exactly 2; "
                    + "drop --k or use --mode rank");
        }
        if (kk < 2 || kk > 26) {
            throw Rlhf4j.usage(spec, "--k must be between 2 and 26, got " + kk);
        }
        if (port < 0 || port > 65535) {
            throw Rlhf4j.usage(spec, "--port must be between 0 and 65535, got " + port);
        }
        if (Files.isDirectory(out)) {
            throw Rlhf4j.usage(spec, "--out " + out + " is a directory; give a .jsonl file to append to");
        }
        requireFile("--prompts", prompts);
        requireFile("--candidates", source.candidates);
        CandidateSource candidates;
        List<String> promptList;
        CandidateFile file = null;
        if (source.candidates != null) {
            file = CandidateFile.read(source.candidates);
            if (prompts != null && file.repeats() > 0) {
                spec.commandLine().getOut().println("note: " + file.repeats() + " lines of " + source.candidates
                        + " repeat an earlier line's prompt; each prompt is asked once, with its first line's completions");
            } else if (prompts == null && file.duplicates() > 0) {
                spec.commandLine().getOut().println("note: " + file.duplicates() + " lines of " + source.candidates
                        + " repeat an earlier line (same prompt and completions); each is asked once");
            }
            candidates = file;
            promptList = prompts != null ? PromptFile.read(prompts) : file.prompts();
        } else {
            if (prompts == null) {
                throw Rlhf4j.usage(spec, "--checkpoint needs --prompts <file>: the prompts to sample completions for");
            }
            promptList = PromptFile.read(prompts);
            candidates = sampler(promptList);
        }
        if (promptList.isEmpty()) {
            throw Rlhf4j.usage(spec, "no prompts in " + (prompts != null ? prompts : source.candidates));
        }
        try (PreferenceWriter writer = PreferenceWriter.open(out)) {
            // sampled (or picked by --prompts): resumed by prompt; a whole candidate file: by prompt + completions
            LabelSession session = file != null && prompts == null
                    ? LabelSession.ofItems(file.items(), PreferenceReader.keysIn(out), labelMode, kk, writer::write)
                    : new LabelSession(promptList, PreferenceReader.promptsIn(out), candidates, labelMode, kk,
                            writer::write);
            return serve ? serve(session) : terminal(session);
        }
    }

    private int terminal(LabelSession session) throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        new TerminalLabeller(session, in, w).run();
        w.println("Answers are in " + out);
        return 0;
    }

    private int serve(LabelSession session) throws IOException, InterruptedException {
        PrintWriter w = spec.commandLine().getOut();
        if (session.current().isEmpty()) {
            Progress p = session.progress();
            w.println("Nothing to label: " + p.labelledBefore() + " of " + p.total() + " prompts are in " + out
                    + (p.unavailable() > 0 ? ", " + p.unavailable() + " have fewer than 2 distinct completions" : ""));
            return 0;
        }
        try (LabelServer server = LabelServer.start(session, host, port)) {
            Thread stop = new Thread(server::close, "label-server-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            Progress p = session.progress();
            w.println("Labelling " + p.remaining() + " prompts (" + p.labelledBefore() + " done before) at "
                    + server.uri() + "  (Ctrl-C stops; answers are saved as they are given)");
            w.flush();
            try {
                p = server.finished().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                Runtime.getRuntime().removeShutdownHook(stop);
            }
            w.println("All prompts dealt with: labelled " + p.labelled() + ", skipped " + p.skipped()
                    + ". Answers are in " + out);
            return 0;
        }
    }

    private SampledCandidates sampler(List<String> promptList) throws IOException {
        Path dir = source.checkpoint;
        if (!Files.isDirectory(dir)) {
            throw Rlhf4j.usage(spec, "--checkpoint: " + dir + (Files.exists(dir) ? " is not a directory"
                    : " does not exist") + "; give a checkpoint directory or the --out of a pretrain run");
        }
        SamplingConfig cfg;
        try {
            cfg = new SamplingConfig(maxTokens, temperature, topK, topP, -1, seed, true);
        } catch (IllegalArgumentException e) {
            throw Rlhf4j.usage(spec, e.getMessage());
        }
        if (temperature == 0f) {
            throw Rlhf4j.usage(spec, "--temperature 0 is greedy: every completion of a prompt would be the same");
        }
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(ModelCheckpoint.locate(dir));
        Tokenizer tokenizer = loaded.tokenizer();
        if (tokenizer == null) {
            throw Rlhf4j.usage(spec, "--checkpoint " + dir + " holds no tokenizer.json, so prompts cannot be encoded");
        }
        for (int i = 0; i < promptList.size(); i++) {
            try {
                tokenizer.encode(promptList.get(i));
            } catch (IllegalArgumentException e) {
                throw Rlhf4j.usage(spec, "--prompts " + prompts + ": prompt " + (i + 1) + " cannot be encoded by the "
                        + "checkpoint's tokenizer: " + e.getMessage());
            }
        }
        return new SampledCandidates(loaded.model(), tokenizer, cfg);
    }

    private LabelMode parseMode() {
        try {
            return LabelMode.of(mode);
        } catch (IllegalArgumentException e) {
            throw Rlhf4j.usage(spec, "--mode: " + e.getMessage());
        }
    }

    private void requireFile(String flag, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw Rlhf4j.usage(spec, flag + ": " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
    }
}
