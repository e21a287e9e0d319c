package org.rlhf4j.rlhf.demo;

import java.util.EnumMap;
import java.util.Map;

/**
 * Everything a demo run measured, for summary.json, the report and the command line.
 *
 * @param config        what ran
 * @param prompts       the training and held-out prompts
 * @param pretraining   stage 1 (loss curves)
 * @param feedback      stages 2-3 (the panel's labels and agreement)
 * @param reward        stage 4 (accuracy, curves, normalization)
 * @param ppo           stage 5 (per-iteration metrics)
 * @param evaluation    stage 6 (reward, KL, panel, diversity)
 * @param seconds       wall-clock seconds per stage, in stage order
 * @param secondsTotal  wall-clock seconds from the start through the evaluation
 * @param heap          heap measurements over the whole run
 * @param backend       the kernel family and its thread count, e.g. "simd, 2 threads"
 */
public record DemoResult(DemoConfig config, DemoPrompts prompts, Pretraining.Result pretraining,
                         Feedback.Result feedback, RewardStage.Result reward, PpoStage.Result ppo,
                         Evaluation.Result evaluation, Map<DemoStage, Double> seconds, double secondsTotal,
                         Heap heap, String backend) {

    public DemoResult {
        seconds = new EnumMap<>(seconds);
    }

    /** The 95% bootstrap interval of the panel's win rate ({@link Evaluation.Result#winRateInterval}), seeded from the run's seed. */
    public double[] winRateInterval() {
        return evaluation.winRateInterval(Seeds.derive(config.seed(), "win-rate-bootstrap"));
    }

    /**
     * Heap in bytes (see {@link HeapMonitor}): the most in use at any moment seen, the most still live after
     * a collection, the sum of the pools' peaks (an upper bound), the -Xmx limit, and the collections seen.
     */
    public record Heap(long peakUsed, long peakLive, long poolPeakSum, long max, long collections) {

        public static double mb(long bytes) {
            return bytes / (1024.0 * 1024.0);
        }
    }
}
