package org.rlhf4j.rlhf.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.data.Corpus;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.VaderAnnotator;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.tensor.Generator;

/**
 * The whole RLHF pipeline on bundled real data, stage by stage ({@link DemoStage}):
 * <pre>
 *   1. pretrain   a character-level GPT on Moby-Dick                          -> dir/pretrain/
 *   2. sample     K responses per training prompt (openings of the book's sentences)
 *   3. feedback   a simulated VADER panel ranks them, and windows of the book -> dir/preferences.jsonl
 *   4. reward     a GPT-2 BPE reward model, from scratch, learns the rankings, is normalized on the
 *                 reference samples                                           -> dir/reward/
 *   5. ppo        PPO toward the reward model, KL-penalised to the frozen reference -> dir/metrics.jsonl
 *   6. evaluate   reference vs tuned on held-out prompts: reward, KL, a fresh panel's head-to-heads,
 *                 distinct-n
 *   7. report     dir/summary.json, dir/report.html, dir/samples.jsonl
 * </pre>
 * Progress goes to a {@link DemoListener}; nothing is printed. Every random choice derives from the
 * config's seed, so a run repeats (the kernels are deterministic for a given thread count).
 */
public final class Demo {

    private final DemoConfig cfg;
    private final Path dir;
    private final DemoListener listener;
    private final Map<DemoStage, Double> seconds = new EnumMap<>(DemoStage.class);

    private Demo(DemoConfig cfg, Path dir, DemoListener listener) {
        this.cfg = cfg;
        this.dir = dir;
        this.listener = listener;
    }

    /** Runs the demo into {@code dir} (created if missing) and returns what it measured. */
    public static DemoResult run(DemoConfig cfg, Path dir, DemoListener listener) throws IOException {
        return new Demo(cfg, dir, listener == null ? DemoListener.NONE : listener).run();
    }

    private DemoResult run() throws IOException {
        Files.createDirectories(dir);
        long start = System.nanoTime();
        try (HeapMonitor heap = HeapMonitor.start()) {
            String text = Corpus.mobyDick();
            VaderLexicon lexicon = VaderLexicon.bundled();
            DemoPrompts prompts = DemoPrompts.from(text, cfg.trainPrompts(), cfg.heldOutPrompts(), cfg.promptChars(),
                    Seeds.derive(cfg.seed(), "prompts"));
            // 1. pretrain
            begin(DemoStage.PRETRAIN, String.format(Locale.ROOT, "%d layers, n_embd %d, block %d; %d steps of %d x %d",
                    cfg.pretrain().model().nLayer(), cfg.pretrain().model().nEmbd(), cfg.pretrain().model().blockSize(),
                    cfg.pretrain().train().maxIters(), cfg.pretrain().train().batchSize(),
                    cfg.pretrain().train().blockSize()));
            long t = System.nanoTime();
            Pretraining.Result pre = Pretraining.run(cfg, text, dir.resolve("pretrain"), listener);
            end(DemoStage.PRETRAIN, t, String.format(Locale.ROOT, "validation loss %.3f", pre.finalValLoss()));
            // 2. sample
            begin(DemoStage.SAMPLE, String.format(Locale.ROOT, "%d prompts x K = %d, %d characters each",
                    prompts.train().size(), cfg.completions(), cfg.responseTokens()));
            t = System.nanoTime();
            List<Candidates> items = Feedback.sample(pre.model(), pre.tokenizer(), prompts.train(), cfg.completions(),
                    cfg.responseTokens(), cfg.temperature(), Seeds.derive(cfg.seed(), "sample"));
            end(DemoStage.SAMPLE, t, items.size() * cfg.completions() + " responses");
            // 3. feedback
            begin(DemoStage.FEEDBACK, String.format(Locale.ROOT, "%d simulated annotators (VADER ratings), %s",
                    cfg.panelSize(), cfg.aggregation().name().toLowerCase(Locale.ROOT)));
            t = System.nanoTime();
            List<Candidates> windows = BookWindows.items(BookWindows.pool(text, lexicon), cfg.windowItems(),
                    cfg.completions(), new Generator(Seeds.derive(cfg.seed(), "windows")));
            Feedback.Result fb = Feedback.label(items, windows, cfg, lexicon, dir);
            end(DemoStage.FEEDBACK, t, String.format(Locale.ROOT, "%d rankings of samples (%d skipped: no rated word) "
                    + "and %d of book windows in %s; agreement with the mean ratings %.3f", fb.labels().size(),
                    fb.skipped(), fb.windowLabels().size(), fb.file().getFileName(), fb.agreementWithTruth()));
            // 4. reward
            begin(DemoStage.REWARD, String.format(Locale.ROOT, "a GPT-2 BPE reward model from scratch, %d steps of %d "
                    + "preferences; the samples' rankings (%.0f%% held out), the windows' and up to %d UCI sentence "
                    + "pairs", cfg.reward().maxIters(), cfg.reward().batchSize(), 100 * cfg.rewardHoldOut(),
                    cfg.uciPairs()));
            t = System.nanoTime();
            RewardStage.Result rm = RewardStage.run(cfg, pre, items, fb.labels(), fb.windowLabels(),
                    VaderAnnotator.groundTruth(lexicon),
                    dir.resolve("reward"), listener);
            end(DemoStage.REWARD, t, String.format(Locale.ROOT, "held-out accuracy %.3f (vs the panel), %.3f (vs the "
                    + "mean ratings), %.3f (UCI Amazon)", rm.heldOutAccuracy(), rm.truthAccuracy(), rm.uciAccuracy()));
            // 5. ppo
            begin(DemoStage.PPO, String.format(Locale.ROOT, "%d iterations of %d prompts", cfg.ppo().iterations(),
                    cfg.ppo().config().rolloutBatch()));
            t = System.nanoTime();
            PpoStage.Result ppo = PpoStage.run(cfg, pre, rm.model(), prompts.train(), dir, listener);
            end(DemoStage.PPO, t, ppo.iterations().size() + " iterations; metrics in " + PpoStage.METRICS);
            // 6. evaluate
            begin(DemoStage.EVALUATE, String.format(Locale.ROOT, "%d held-out prompts x %d samples per model, a "
                    + "fresh %d-person panel", prompts.heldOut().size(), cfg.evalSamples(), cfg.evalPanelSize()));
            t = System.nanoTime();
            Evaluation.Result ev = Evaluation.run(cfg, prompts.heldOut(), ppo.reference(), ppo.policy(),
                    pre.tokenizer(), rm.model(), lexicon);
            end(DemoStage.EVALUATE, t, String.format(Locale.ROOT, "reward %.3f -> %.3f, KL %.2f nats, panel prefers "
                    + "tuned %.1f%%", ev.rewardBefore(), ev.rewardAfter(), ev.kl(), 100 * ev.winRate()));
            double total = (System.nanoTime() - start) / 1e9;
            DemoResult.Heap h = new DemoResult.Heap(heap.peakUsedBytes(), heap.peakLiveBytes(),
                    heap.poolPeakSumBytes(), HeapMonitor.maxHeapBytes(), heap.collections());
            String backend = Backends.currentName() + ", " + Backends.current().parallel().threads() + " threads";
            // 7. report
            begin(DemoStage.REPORT, "summary.json, report.html, samples.jsonl");
            t = System.nanoTime();
            DemoResult result = new DemoResult(cfg, prompts, pre, fb, rm, ppo, ev, seconds, total, h, backend);
            DemoFiles.write(result, dir);
            end(DemoStage.REPORT, t, "in " + dir);
            return result;
        }
    }

    private void begin(DemoStage stage, String detail) {
        listener.stageStarted(stage, detail);
    }

    private void end(DemoStage stage, long startNanos, String outcome) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        seconds.put(stage, s);
        listener.stageFinished(stage, s, outcome);
    }
}
