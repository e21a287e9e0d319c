package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.rlhf.report.ReportPage;
import org.rlhf4j.rlhf.report.ReportPage.Figure;
import org.rlhf4j.rlhf.report.ReportPage.Stat;
import org.rlhf4j.rlhf.report.SvgChart;
import org.rlhf4j.rlhf.report.SvgChart.Series;

/** Lays a {@link DemoResult} out as a {@link ReportPage}: headline numbers, charts, timings, samples, notes. */
public final class DemoReport {

    private DemoReport() {
    }

    public static ReportPage page(DemoResult r) {
        Evaluation.Result ev = r.evaluation();
        List<Stat> summary = List.of(
                new Stat("panel prefers tuned", pct(ev.winRate()), String.format(Locale.ROOT,
                        "fresh %d-person panel, %d head-to-heads on held-out prompts: %d tuned, %d reference, %d ties "
                                + "(a tie counts half; wins alone %.1f%%)", r.config().evalPanelSize(), ev.pairs().size(),
                        ev.wins(), ev.losses(), ev.ties(), 100 * ev.winRateStrict())),
                new Stat("reward (reference -> tuned)", f(ev.rewardBefore()) + " -> " + f(ev.rewardAfter()),
                        "reward model, normalized on reference samples; std " + f(ev.rewardBeforeStd()) + " -> "
                                + f(ev.rewardAfterStd())),
                new Stat("KL(tuned || reference)", f(ev.kl()) + " nats", "per response, held-out samples of the tuned "
                        + "policy; last PPO iteration's objective/kl: "
                        + f(DemoFiles.lastMetric(r.ppo().iterations(), "objective/kl"))),
                new Stat("distinct-2 (reference -> tuned)", f(ev.distinct2Before()) + " -> " + f(ev.distinct2After()),
                        "distinct-1 " + f(ev.distinct1Before()) + " -> " + f(ev.distinct1After())),
                new Stat("sentiment (reference -> tuned)", f(ev.sentimentBefore()) + " -> " + f(ev.sentimentAfter()),
                        "sum of the VADER words' mean human ratings per response: what the panel follows"),
                new Stat("reward model accuracy", f(r.reward().heldOutAccuracy()), String.format(Locale.ROOT,
                        "held-out rankings (%d), vs the panel's labels; vs the mean ratings: %s; held-out UCI "
                                + "Amazon pairs (%d): %s", r.reward().heldOutRankings(), f(r.reward().truthAccuracy()),
                        r.reward().uciHeldOut(), f(r.reward().uciAccuracy()))),
                new Stat("pretraining validation loss", f(r.pretraining().finalValLoss()), "nats per character"),
                new Stat("total time", String.format(Locale.ROOT, "%.0f s", r.secondsTotal()), r.backend() + ", "
                        + Runtime.getRuntime().availableProcessors() + " CPUs visible"),
                new Stat("peak heap", String.format(Locale.ROOT, "%.0f MB", DemoResult.Heap.mb(r.heap().peakUsed())),
                        String.format(Locale.ROOT, "most in use seen; most live after a GC %.0f MB; -Xmx %.0f MB",
                                DemoResult.Heap.mb(r.heap().peakLive()), DemoResult.Heap.mb(r.heap().max()))));
        List<Figure> charts = new ArrayList<>();
        List<Map<String, Double>> it = r.ppo().iterations();
        charts.add(fig("PPO: reward", "reward", List.of(Series.of("score", metric(it, "objective/scores")),
                Series.of("score - beta KL", metric(it, "objective/rlhf_reward"))),
                "objective/scores: the reward model's score of each rollout; objective/rlhf_reward: minus the KL penalty"));
        charts.add(fig("PPO: KL to the reference", "nats", List.of(Series.of("objective/kl", metric(it, "objective/kl"))),
                "objective/kl: summed per-token log-ratio of the rollouts, mean over the batch"));
        charts.add(fig("PPO: entropy", "nats", List.of(Series.of("objective/entropy", metric(it, "objective/entropy"))),
                "objective/entropy of the policy over its rollouts; a collapse drives it to 0"));
        charts.add(fig("PPO: value loss", "loss", List.of(Series.of("loss/value_avg", metric(it, "loss/value_avg"))),
                "loss/value_avg: the clipped value loss"));
        charts.add(fig("PPO: clip fraction", "fraction", List.of(
                        Series.of("policy/clipfrac_avg", metric(it, "policy/clipfrac_avg")),
                        Series.of("val/clipfrac_avg", metric(it, "val/clipfrac_avg"))),
                "share of tokens where the ratio (policy) or the value left the clip range"));
        charts.add(new Figure(new SvgChart("Reward model", "step", "held-out accuracy", List.of(
                new Series("held-out accuracy", r.reward().evalSteps(), r.reward().evalAccuracy()))),
                "pairwise accuracy on held-out rankings of the panel"));
        charts.add(new Figure(new SvgChart("Reward model: loss", "step", "loss", List.of(
                new Series("train loss", r.reward().steps(), r.reward().loss()))),
                "Bradley-Terry loss over all C(K,2) pairs of each ranking"));
        charts.add(new Figure(new SvgChart("Pretraining loss", "step", "nats per character", List.of(
                new Series("train", r.pretraining().steps(), r.pretraining().trainLoss()),
                new Series("validation", r.pretraining().valSteps(), r.pretraining().valLoss()))),
                "cross-entropy on Moby-Dick (last 10% held out)"));
        List<Stat> timings = new ArrayList<>();
        r.seconds().forEach((stage, s) -> timings.add(new Stat(stage.key(), String.format(Locale.ROOT, "%.1f s", s),
                stage.description())));
        List<ReportPage.SamplePair> samples = new ArrayList<>();
        for (int i = 0; i < ev.pairs().size() && i < r.config().shownSamples() * r.config().evalSamples(); i += r.config().evalSamples()) {
            Evaluation.Pair p = ev.pairs().get(i);
            samples.add(new ReportPage.SamplePair(p.prompt(), p.reference(), p.referenceReward(), p.tuned(),
                    p.tunedReward(), p.verdict().name().toLowerCase(Locale.ROOT)));
        }
        List<String> notes = List.of(
                "The annotators are simulated: each draws, for every rated word of a response, one of the ten ratings "
                        + "real people gave that word in the VADER lexicon (Hutto and Gilbert 2014) and sums them. The "
                        + "preference they induce is positive sentiment. The panel judging the head-to-heads has its own "
                        + "seeds, distinct from the panel whose rankings trained the reward model. Items in which no "
                        + "response holds a rated word are skipped (the panel has nothing to go on). Besides the "
                        + "panel's rankings, the reward model trains on pairs of sentences people labelled positive "
                        + "or negative (UCI Sentiment Labelled Sentences, Kotzias et al. 2015; IMDB and Yelp, "
                        + "Amazon held out).",
                "Samples are drawn at temperature " + r.config().temperature() + " with no stop token; the reference and "
                        + "the tuned policy draw with the same random numbers for the same prompt. Held-out prompts open "
                        + "sentences of the last 10% of the book, which pretraining never trained on.",
                "Timings are wall-clock on the machine that ran it and depend on its load; the heap is measured by the "
                        + "JVM's memory beans (before and after each collection, and polled).");
        return new ReportPage("rlhf4j demo: RLHF on Moby-Dick", String.format(Locale.ROOT,
                "seed %d; %d PPO iterations; %s", r.config().seed(), it.size(), r.backend()), summary, charts,
                List.of(new ReportPage.Table("Seconds per stage", timings)), samples, notes);
    }

    private static Figure fig(String title, String yLabel, List<Series> series, String caption) {
        return new Figure(new SvgChart(title, "PPO iteration", yLabel, series), caption);
    }

    /** {@code key} of each iteration, NaN where missing. */
    static double[] metric(List<Map<String, Double>> iterations, String key) {
        return iterations.stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).toArray();
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }
}
