package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.PreferenceData;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.RatedPreference;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.reward.OverLength;
import org.rlhf4j.rlhf.reward.RewardCheckpoint;
import org.rlhf4j.rlhf.reward.RewardConfig;
import org.rlhf4j.rlhf.reward.RewardEncoder;
import org.rlhf4j.rlhf.reward.RewardListener;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.rlhf.reward.RewardStepMetrics;
import org.rlhf4j.rlhf.reward.RewardTrainer;
import org.rlhf4j.train.StepMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j train-reward}: trains a reward model on preference JSONL (TRL's pairwise lines, prompt
 * optional, and ranked lines, mixed) and writes {@code <out>/metrics.jsonl} and {@code <out>/checkpoint/}.
 * With {@code --base} the trunk and tokenizer come from a pretrained checkpoint ({@link RewardConfig#defaults()});
 * without, a small trunk is trained from scratch ({@link RewardConfig#fromScratch()}) with the bundled
 * GPT-2 BPE, or {@code --tokenizer char} (docs/reward-model.md compares the two).
 * After training the rewards are normalized on {@code --reference} samples, or else on the training
 * responses.
 */
@Command(name = "train-reward", mixinStandardHelpOptions = true,
        description = {"Train a reward model on preference JSONL: pairwise {\"prompt\", \"chosen\", \"rejected\"} "
                + "(prompt optional) and ranked {\"prompt\", \"completions\", \"ranking\"} lines.",
                "Writes <out>/metrics.jsonl (step, loss, accuracy; eval_accuracy, eval_margin when evaluated) "
                        + "and <out>/checkpoint/ for 'rlhf4j score --model <out>'."})
final class TrainRewardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "<jsonl>", required = true, description = "Training preferences.")
    Path data;

    @Option(names = "--eval-data", paramLabel = "<jsonl>", description = "Held-out preferences for eval_accuracy "
            + "and eval_margin.")
    Path evalData;

    @Option(names = "--out", paramLabel = "<dir>", required = true,
            description = "Run directory: metrics.jsonl and checkpoint/ are written here.")
    Path out;

    @Option(names = "--base", paramLabel = "<dir>",
            description = "A pretrained checkpoint (a pretrain --out) whose trunk and tokenizer to start from; "
                    + "without it the trunk is trained from scratch.")
    Path base;

    @Option(names = "--reference", paramLabel = "<jsonl>", description = "Reference-policy samples "
            + "({\"prompt\", \"completion\"} or {\"text\"} lines) on which rewards are normalized to mean 0, std 1 "
            + "(default: the training responses).")
    Path reference;

    @Option(names = "--normalize", paramLabel = "<how>", description = "After training: scale (mean 0, std 1 "
            + "on the normalization samples), shift (mean 0 only) or none (raw rewards) (default: scale, "
            + "RewardConfig.normalizeScale).")
    String normalize;

    @Option(names = "--max-bad-lines", paramLabel = "<n>", defaultValue = "0",
            description = "Skip up to n malformed lines of each input file (counted on stderr) instead of stopping "
                    + "at the first (default: ${DEFAULT-VALUE}).")
    int maxBadLines;

    @Option(names = "--tokenizer", paramLabel = "<kind>", defaultValue = "gpt2",
            description = "From scratch: gpt2 (the bundled BPE) or char (printable ASCII + the data's characters) "
                    + "(default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--n-layer", paramLabel = "<n>", defaultValue = "2", description = "From scratch: layers (default: ${DEFAULT-VALUE}).")
    int nLayer;

    @Option(names = "--n-head", paramLabel = "<n>", defaultValue = "4", description = "From scratch: heads (default: ${DEFAULT-VALUE}).")
    int nHead;

    @Option(names = "--n-embd", paramLabel = "<n>", defaultValue = "64", description = "From scratch: width (default: ${DEFAULT-VALUE}).")
    int nEmbd;

    @Option(names = "--steps", paramLabel = "<n>", description = "Optimizer steps (scratch 300, base 1000).")
    Integer steps;

    @Option(names = "--batch", paramLabel = "<n>", description = "Preferences per step (scratch 32, base 64).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "<x>", description = "Peak learning rate (scratch 1e-3, base 9e-6).")
    Double lr;

    @Option(names = "--warmup", paramLabel = "<n>", description = "Warmup steps (scratch 20, base 0).")
    Integer warmup;

    @Option(names = "--weight-decay", paramLabel = "<x>", description = "AdamW decay (scratch 0.1, base 0).")
    Double weightDecay;

    @Option(names = "--margin", paramLabel = "<m>", description = "Margin m in -log sigma(r_w - r_l - m) (default 0).")
    Double margin;

    @Option(names = "--center-coef", paramLabel = "<c>", description = "Centering c (r_w + r_l)^2, TRL's "
            + "center_rewards_coefficient (default 0).")
    Double centerCoef;

    @Option(names = "--max-len", paramLabel = "<n>", description = "Longest prompt + response in tokens "
            + "(scratch 256, base 1024; capped by the model).")
    Integer maxLen;

    @Option(names = "--over-length", paramLabel = "<policy>", description = "drop or truncate-prompt-left (default drop).")
    String overLength;

    @Option(names = "--eval-interval", paramLabel = "<n>", description = "Evaluate every n steps (scratch 50, base 100).")
    Integer evalInterval;

    @Option(names = "--seed", paramLabel = "<n>", description = "Seed of initialisation and batch order (default 1337).")
    Long seed;

    @Option(names = "--progress", paramLabel = "<mode>", defaultValue = "auto",
            description = "auto, bar (redrawn with \\r), lines (one line every few seconds) or none.")
    String progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
        ProgressBar.Mode mode = ProgressBar.Mode.parse(progress, spec);
        if (maxBadLines < 0) {
            throw Rlhf4j.usage(spec, "--max-bad-lines must be >= 0, got " + maxBadLines);
        }
        String how = normalize == null ? null : normalize.toLowerCase(Locale.ROOT);
        if (how != null && !List.of("scale", "shift", "none").contains(how)) {
            throw Rlhf4j.usage(spec, "--normalize " + normalize + ": use scale, shift or none");
        }
        List<Preference> train = read(data, "--data"), eval = evalData == null ? List.of() : read(evalData, "--eval-data");
        if (train.isEmpty()) {
            throw Rlhf4j.usage(spec, "--data " + data + " holds no preference; give pairwise or ranked JSONL lines");
        }
        if (evalData != null && eval.isEmpty()) {
            throw Rlhf4j.usage(spec, "--eval-data " + evalData + " holds no preference; give pairwise or ranked "
                    + "JSONL lines, or leave --eval-data out");
        }
        if (reference != null && "none".equals(how)) {
            throw Rlhf4j.usage(spec, "--reference with --normalize none: the samples would not be used; drop one");
        }
        Path checkpoint = out.resolve(RewardCheckpoint.DIR);
        if (Files.exists(checkpoint.resolve("manifest.json"))) {
            throw Rlhf4j.usage(spec, "--out " + out + " already holds a reward model (" + checkpoint + "); choose "
                    + "another --out");
        }
        RewardConfig cfg = config(base == null ? RewardConfig.fromScratch() : RewardConfig.defaults());
        if (how != null && !how.equals("none")) {
            cfg = cfg.withNormalizeScale(how.equals("scale"));
        }
        List<String[]> refs = reference == null ? responses(train)
                : ScoreCommand.pairsOf(reference, maxBadLines, spec, "--reference");
        RewardModel model;
        if (base != null) {
            if (!Files.isDirectory(base)) {
                throw Rlhf4j.usage(spec, "--base: " + base + " is not a directory; give a pretrain --out or checkpoint");
            }
            model = RewardCheckpoint.fromPretrained(base, cfg.maxLength(), cfg.seed());
        } else {
            Tokenizer tok = scratchTokenizer(train, eval, refs);
            GptConfig shape;
            try {
                shape = new GptConfig(tok.vocabSize(), cfg.maxLength(), nLayer, nHead, nEmbd, 0f, true, 1e-5f, 0.02f);
            } catch (IllegalArgumentException e) {
                throw Rlhf4j.usage(spec, "--n-layer/--n-head/--n-embd: " + e.getMessage());
            }
            model = RewardModel.fromScratch(shape, tok, cfg.maxLength(), cfg.seed());
        }
        if (reference == null && !"none".equals(how)) {
            stderr.println("note: no --reference: rewards are normalized on the training responses, not on samples "
                    + "of the reference policy (give --reference <jsonl> for the policy PPO will start from)");
        }
        ProgressBar bar = new ProgressBar(stdout, stderr, mode);
        RewardTrainer trainer = RewardTrainer.start(model, cfg, train, eval, out, new Progress(bar, stdout));
        RewardEncoder.Encoding te = trainer.trainEncoding(), ee = trainer.evalEncoding();
        if (evalData != null && ee.kept().isEmpty()) {
            throw Rlhf4j.usage(spec, "--eval-data " + evalData + ": all " + eval.size() + " preferences were dropped "
                    + "as longer than " + model.maxLength() + " tokens; raise --max-len, use --over-length "
                    + "truncate-prompt-left, or leave --eval-data out");
        }
        stdout.printf(Locale.ROOT, "train-reward: %,d parameters (n_layer %d, n_embd %d, vocabulary %d, %s); "
                        + "%,d training preferences (%d dropped, %d truncated at %d tokens), %,d held out (%d dropped); "
                        + "batch %d, %d steps, lr %.2g; %s backend, %d threads%n",
                model.parameterCount(), model.trunk().config.nLayer(), model.trunk().config.nEmbd(),
                model.tokenizer().vocabSize(), base == null ? "from scratch" : "base " + base, te.kept().size(),
                te.dropped(), te.truncated(), model.maxLength(), ee.kept().size(), ee.dropped(), cfg.batchSize(),
                cfg.maxIters(), cfg.lr(), Backends.currentName(), Backends.current().parallel().threads());
        trainer.run();
        bar.finish();
        List<String> prompts = new ArrayList<>(), responses = new ArrayList<>();
        for (String[] pr : refs) {
            prompts.add(pr[0]);
            responses.add(pr[1]);
        }
        if ("none".equals(how)) {
            stdout.println("not normalized (--normalize none): score gives raw rewards");
        } else {
            double[] ms = trainer.normalize(prompts, responses);
            stdout.printf(Locale.ROOT, "normalized (%s) on %,d %s: raw mean %.4f, std %.4f -> gain %.4f, bias %.4f%n",
                    cfg.normalizeScale() ? "scale" : "shift", prompts.size(),
                    reference == null ? "training responses" : "reference samples", ms[0], ms[1], model.gain(),
                    model.bias());
        }
        RewardStepMetrics last = trainer.lastMetrics();
        if (last != null && last.evaluated()) {
            stdout.printf(Locale.ROOT, "held-out accuracy %.4f, mean margin %.4f%n", last.evalAccuracy(), last.evalMargin());
        }
        stdout.printf("done: %d steps; metrics in %s, reward model in %s%n", trainer.step(),
                out.resolve(RewardTrainer.METRICS), checkpoint);
        return 0;
    }

    private RewardConfig config(RewardConfig c) {
        try {
            if (steps != null) {
                c = c.withMaxIters(steps);
            }
            if (batch != null) {
                c = c.withBatchSize(batch);
            }
            if (lr != null) {
                c = c.withLr(lr);
            }
            if (warmup != null) {
                c = c.withWarmupIters(warmup);
            }
            if (weightDecay != null) {
                c = c.withWeightDecay(weightDecay);
            }
            if (margin != null) {
                c = c.withMargin(margin);
            }
            if (centerCoef != null) {
                c = c.withCenterCoef(centerCoef);
            }
            OverLength policy = c.overLength();
            if (overLength != null) {
                policy = switch (overLength.toLowerCase(Locale.ROOT)) {
                    case "drop" -> OverLength.DROP;
                    case "truncate-prompt-left" -> OverLength.TRUNCATE_PROMPT_LEFT;
                    default -> throw Rlhf4j.usage(spec, "--over-length " + overLength + ": use drop or truncate-prompt-left");
                };
            }
            c = c.withMaxLength(maxLen != null ? maxLen : c.maxLength(), policy);
            if (evalInterval != null) {
                c = c.withIntervals(evalInterval, c.logInterval(), c.checkpointInterval());
            }
            if (seed != null) {
                c = c.withSeed(seed);
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw Rlhf4j.usage(spec, e.getMessage());
        }
    }

    private List<Preference> read(Path file, String option) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw Rlhf4j.usage(spec, option + ": " + file + (Files.exists(file) ? " is not a regular file"
                    : " does not exist") + "; give a preference JSONL file");
        }
        PreferenceData read = PreferenceReader.read(file, maxBadLines > 0
                ? PreferenceReader.Options.lenient(maxBadLines) : PreferenceReader.Options.strict());
        if (!read.skipped().isEmpty()) {
            spec.commandLine().getErr().printf("%s: skipped %,d bad lines (--max-bad-lines %d); the first: %s%n",
                    option, read.skipped().size(), maxBadLines, read.skipped().get(0).getMessage());
        }
        List<Preference> records = read.records();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) instanceof RatedPreference) {
                throw Rlhf4j.usage(spec, option + " " + file + ": record " + (i + 1) + " is a rating; train-reward "
                        + "takes pairwise and ranked lines (rank the ratings of a prompt first)");
            }
        }
        return records;
    }

    /** Every (prompt, response) of the training preferences: the fallback normalization set. */
    private static List<String[]> responses(List<Preference> train) {
        List<String[]> out = new ArrayList<>();
        for (Preference p : train) {
            if (p instanceof PairwisePreference pw) {
                out.add(new String[] {pw.prompt(), pw.chosen()});
                out.add(new String[] {pw.prompt(), pw.rejected()});
            } else if (p instanceof RankedPreference rp) {
                rp.completions().forEach(c -> out.add(new String[] {rp.prompt(), c}));
            }
        }
        return out;
    }

    private Tokenizer scratchTokenizer(List<Preference> train, List<Preference> eval, List<String[]> refs) {
        switch (tokenizer.toLowerCase(Locale.ROOT)) {
            case "gpt2":
                return Gpt2Tokenizer.bundled();
            case "char":
                StringBuilder chars = new StringBuilder("\n\t");
                for (char c = 0x20; c < 0x7F; c++) {
                    chars.append(c); // printable ASCII, so that scoring new English text rarely meets an unknown
                }
                for (List<Preference> list : List.of(train, eval)) {
                    for (String[] pr : responses(list)) {
                        chars.append(pr[0]).append(pr[1]);
                    }
                }
                refs.forEach(pr -> chars.append(pr[0]).append(pr[1]));
                return CharTokenizer.fromCorpus(chars.toString());
            default:
                throw Rlhf4j.usage(spec, "--tokenizer " + tokenizer + ": use char or gpt2 (--base brings its own)");
        }
    }

    /** The progress bar (training loss as "loss") and one stdout line per evaluation. */
    private static final class Progress implements RewardListener {
        private final ProgressBar bar;
        private final PrintWriter out;

        Progress(ProgressBar bar, PrintWriter out) {
            this.bar = bar;
            this.out = out;
        }

        @Override
        public void started(int maxIters, long parameters, RewardEncoder.Encoding train, RewardEncoder.Encoding eval) {
            bar.started(0, maxIters, parameters);
        }

        @Override
        public void step(RewardStepMetrics m) {
            bar.step(new StepMetrics(m.step(), m.maxIters(), m.loss(), m.lr(), m.gradNorm(), m.skipped(),
                    m.tokensPerSec(), m.elapsedSec(), Double.NaN, Double.NaN, m.logged()));
            if (m.evaluated()) {
                bar.finish();
                out.printf(Locale.ROOT, "step %d: loss %.4f, eval loss %.4f, eval accuracy %.4f, eval margin %.4f%n",
                        m.step(), m.loss(), m.evalLoss(), m.evalAccuracy(), m.evalMargin());
                out.flush();
            }
        }
    }
}
