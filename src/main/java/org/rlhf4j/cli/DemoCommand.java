package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rlhf4j.rlhf.demo.Demo;
import org.rlhf4j.rlhf.demo.DemoConfig;
import org.rlhf4j.rlhf.demo.DemoFiles;
import org.rlhf4j.rlhf.demo.DemoListener;
import org.rlhf4j.rlhf.demo.DemoOverrides;
import org.rlhf4j.rlhf.demo.DemoResult;
import org.rlhf4j.rlhf.demo.DemoStage;
import org.rlhf4j.rlhf.demo.Evaluation;
import org.rlhf4j.rlhf.report.HtmlReport;
import org.rlhf4j.rlhf.reward.RewardStepMetrics;
import org.rlhf4j.train.StepMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j demo}: the whole RLHF pipeline on the bundled data ({@link Demo}), printing each stage as
 * it goes, the reference and tuned samples side by side, and the summary; the files go to {@code --out}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole RLHF pipeline on bundled data: pretrain a GPT on Moby-Dick, sample, let a "
                + "simulated annotator panel rank the samples, train a reward model, tune with PPO, and compare the "
                + "tuned policy with the reference on held-out prompts.",
                "Writes report.html (opens offline), metrics.jsonl (PPO iterations), summary.json, samples.jsonl, "
                        + "preferences.jsonl, pretrain/ and reward/ into --out."})
final class DemoCommand implements Callable<Integer> {

    private static final long LINE_EVERY_NANOS = 5_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "<dir>", required = true,
            description = "Output directory (new, or empty).")
    Path out;

    @Option(names = "--quick", description = "A seconds-long smoke run of every stage (tiny model; numbers meaningless).")
    boolean quick;

    @Option(names = "--seed", paramLabel = "<n>", description = "Seed of every random choice (default: 1337).")
    Long seed;

    @Option(names = "--set", paramLabel = "<key=value>",
            description = "Change a setting, e.g. --set ppo.iterations=30 or --set pretrain.max_iters=500.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--progress", paramLabel = "<mode>", defaultValue = "auto",
            description = "auto or lines (a line every few seconds within a stage), or none (stage lines only).")
    String progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        boolean lines = switch (progress.toLowerCase(Locale.ROOT)) {
            case "auto", "lines", "bar" -> true;
            case "none" -> false;
            default -> throw Rlhf4j.usage(spec, "--progress " + progress + ": use auto, lines or none");
        };
        checkOut();
        DemoConfig cfg = quick ? DemoConfig.quick() : DemoConfig.standard();
        Map<String, String> settings = new LinkedHashMap<>();
        if (seed != null) {
            settings.put("seed", Long.toString(seed));
        }
        settings.putAll(set);
        try {
            cfg = DemoOverrides.apply(cfg, settings);
        } catch (IllegalArgumentException e) {
            throw Rlhf4j.usage(spec, "--set " + e.getMessage());
        }
        stdout.printf("rlhf4j demo%s into %s (seed %d)%n", quick ? " --quick" : "", out, cfg.seed());
        DemoResult r = Demo.run(cfg, out, new Progress(stdout, lines));
        printSamples(stdout, r);
        printSummary(stdout, r);
        return 0;
    }

    /** --out must be new, or an empty directory: a demo never mixes its files with an older run's. */
    private void checkOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw Rlhf4j.usage(spec, "--out " + out + " is a file; give a new or empty directory");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw Rlhf4j.usage(spec, "--out " + out + " is not empty; give a new or empty directory");
                }
            }
        }
    }

    private static void printSamples(PrintWriter out, DemoResult r) {
        out.println();
        out.println("held-out prompts, reference | tuned (reward model score; the fresh panel's verdict):");
        int shown = 0;
        for (int i = 0; i < r.evaluation().pairs().size() && shown < r.config().shownSamples();
             i += r.config().evalSamples(), shown++) {
            Evaluation.Pair p = r.evaluation().pairs().get(i);
            out.printf("  prompt     %s%n", oneLine(p.prompt()));
            out.printf("  reference  %s%s  (%+.2f)%n", oneLine(p.prompt()), oneLine(p.reference()), p.referenceReward());
            out.printf("  tuned      %s%s  (%+.2f; %s)%n%n", oneLine(p.prompt()), oneLine(p.tuned()), p.tunedReward(),
                    p.verdict().name().toLowerCase(Locale.ROOT));
        }
    }

    private void printSummary(PrintWriter out, DemoResult r) {
        Evaluation.Result ev = r.evaluation();
        out.printf(Locale.ROOT, "reward (held-out)      %.3f +- %.3f  ->  %.3f +- %.3f%n", ev.rewardBefore(),
                ev.rewardBeforeStd(), ev.rewardAfter(), ev.rewardAfterStd());
        out.printf(Locale.ROOT, "KL(tuned || reference) %.3f nats per response%n", ev.kl());
        out.printf(Locale.ROOT, "panel prefers tuned    %.1f%% of %d head-to-heads (%d won, %d tied, %d lost)%n",
                100 * ev.winRate(), ev.pairs().size(), ev.wins(), ev.ties(), ev.losses());
        double[] ci = r.winRateInterval();
        out.printf(Locale.ROOT, "                       a tie counts half; 95%% CI %.1f%% to %.1f%% (prompts resampled); "
                + "wins alone %.1f%%, of decided %.1f%%%n", 100 * ci[0], 100 * ci[1], 100 * ev.winRateStrict(),
                100.0 * ev.wins() / Math.max(1, ev.wins() + ev.losses()));
        out.printf(Locale.ROOT, "distinct-1 / -2        %.3f / %.3f  ->  %.3f / %.3f%n", ev.distinct1Before(),
                ev.distinct2Before(), ev.distinct1After(), ev.distinct2After());
        out.printf(Locale.ROOT, "reward model accuracy  %.3f held-out (vs the panel), %.3f (vs the mean ratings)%n",
                r.reward().heldOutAccuracy(), r.reward().truthAccuracy());
        out.printf(Locale.ROOT, "time %.0f s; peak heap %.0f MB (live after GC %.0f MB; -Xmx %.0f MB); %s%n",
                r.secondsTotal(), DemoResult.Heap.mb(r.heap().peakUsed()), DemoResult.Heap.mb(r.heap().peakLive()),
                DemoResult.Heap.mb(r.heap().max()), r.backend());
        out.printf("report %s, summary %s, PPO metrics %s%n", out(HtmlReport.FILE), out(DemoFiles.SUMMARY),
                out("metrics.jsonl"));
    }

    private Path out(String file) {
        return out.resolve(file);
    }

    /** Model text on one line: line breaks shown as the two characters \n, other control characters dropped. */
    private static String oneLine(String s) {
        return s.replace("\r", "").replace("\n", "\\n").replaceAll("\\p{Cntrl}", "");
    }

    /** Stage lines, and within a stage a progress line at most every few seconds. */
    private static final class Progress implements DemoListener {
        private final PrintWriter out;
        private final boolean lines;
        private long last;

        Progress(PrintWriter out, boolean lines) {
            this.out = out;
            this.lines = lines;
        }

        @Override
        public void stageStarted(DemoStage stage, String detail) {
            out.printf("[%d/%d] %s: %s (%s)%n", stage.ordinal() + 1, DemoStage.values().length, stage.key(),
                    stage.description(), detail);
            last = System.nanoTime();
        }

        @Override
        public void stageFinished(DemoStage stage, double seconds, String outcome) {
            out.printf(Locale.ROOT, "      %s done in %.1f s: %s%n", stage.key(), seconds, outcome);
        }

        @Override
        public void pretrainStep(StepMetrics m) {
            if (due(m.step() == m.maxIters())) {
                out.printf(Locale.ROOT, "      step %d/%d  loss %.4f  %,.0f tok/s%n", m.step(), m.maxIters(),
                        m.trainLoss(), m.tokensPerSec());
            }
        }

        @Override
        public void rewardStep(RewardStepMetrics m) {
            if (due(m.step() == m.maxIters())) {
                out.printf(Locale.ROOT, "      step %d/%d  loss %.4f  batch accuracy %.3f%n", m.step(), m.maxIters(),
                        m.loss(), m.accuracy());
            }
        }

        @Override
        public void ppoIteration(int iteration, int iterations, Map<String, Double> metrics) {
            if (due(iteration == iterations)) {
                out.printf(Locale.ROOT, "      iteration %d/%d  score %.3f  kl %.3f  entropy %.3f%n", iteration,
                        iterations, metrics.getOrDefault("objective/scores", Double.NaN),
                        metrics.getOrDefault("objective/kl", Double.NaN),
                        metrics.getOrDefault("objective/entropy", Double.NaN));
            }
        }

        private boolean due(boolean lastOne) {
            long now = System.nanoTime();
            if (lines && (lastOne || now - last >= LINE_EVERY_NANOS)) {
                last = now;
                return true;
            }
            return false;
        }
    }
}
