package org.rlhf4j.rlhf.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.rlhf4j.rlhf.report.HtmlReport;

/**
 * The files a demo run leaves besides its stages' own: {@code summary.json} (the headline numbers, keys
 * below), {@code samples.jsonl} (every held-out head-to-head) and {@code report.html}
 * ({@link DemoReport}). Each is written to a temporary file and renamed into place.
 *
 * <p>summary.json: {@code reward_before}, {@code reward_after} (mean normalized reward of reference and
 * tuned samples on held-out prompts; {@code _std} their spread), {@code kl_final} (held-out KL(tuned || ref)
 * in nats per response), {@code kl_final_ppo} (the last PPO iteration's {@code objective/kl}),
 * {@code panel_win_rate} ((wins + ties/2) / head-to-heads, a fresh panel; {@code _decided}: wins / (wins + losses);
 * {@code _strict}: wins / head-to-heads; {@code _ci95}: a 95% bootstrap interval over prompts), {@code distinct1_*},
 * {@code distinct2_*}, {@code sentiment_*} (mean summed human word ratings), {@code rm_accuracy} (held-out,
 * vs the panel), {@code rm_accuracy_truth}, {@code seconds_total}, {@code seconds} per stage,
 * {@code peak_heap_mb} (most heap in use seen), {@code peak_live_heap_mb}, {@code heap_pool_peak_sum_mb},
 * {@code max_heap_mb}, and the run's settings. Values that are not finite are null.
 */
public final class DemoFiles {

    public static final String SUMMARY = "summary.json";
    public static final String SAMPLES = "samples.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINES = new ObjectMapper();

    private DemoFiles() {
    }

    /** Writes summary.json, samples.jsonl and report.html into {@code dir}. */
    public static void write(DemoResult r, Path dir) throws IOException {
        atomically(dir.resolve(SUMMARY), JSON.writeValueAsString(summary(r)) + "\n");
        StringBuilder lines = new StringBuilder();
        for (Evaluation.Pair p : r.evaluation().pairs()) {
            ObjectNode o = LINES.createObjectNode();
            o.put("prompt", p.prompt());
            o.put("reference", p.reference());
            o.put("tuned", p.tuned());
            put(o, "reward_reference", p.referenceReward());
            put(o, "reward_tuned", p.tunedReward());
            put(o, "kl_tuned", p.tunedKl());
            o.put("panel", p.verdict().name().toLowerCase(java.util.Locale.ROOT));
            lines.append(LINES.writeValueAsString(o)).append('\n');
        }
        atomically(dir.resolve(SAMPLES), lines.toString());
        HtmlReport.write(DemoReport.page(r), dir.resolve(HtmlReport.FILE));
    }

    /** The summary.json object. */
    public static ObjectNode summary(DemoResult r) {
        Evaluation.Result ev = r.evaluation();
        ObjectNode o = LINES.createObjectNode();
        put(o, "reward_before", ev.rewardBefore());
        put(o, "reward_before_std", ev.rewardBeforeStd());
        put(o, "reward_after", ev.rewardAfter());
        put(o, "reward_after_std", ev.rewardAfterStd());
        put(o, "kl_final", ev.kl());
        put(o, "kl_final_ppo", lastMetric(r.ppo().iterations(), "objective/kl"));
        put(o, "panel_win_rate", ev.winRate());
        put(o, "panel_win_rate_decided", (double) ev.wins() / (ev.wins() + ev.losses()));
        put(o, "panel_win_rate_strict", ev.winRateStrict());
        double[] ci = r.winRateInterval();
        o.putArray("panel_win_rate_ci95").add(ci[0]).add(ci[1]);
        o.put("panel_wins", ev.wins());
        o.put("panel_ties", ev.ties());
        o.put("panel_losses", ev.losses());
        o.put("head_to_heads", ev.pairs().size());
        put(o, "distinct1_before", ev.distinct1Before());
        put(o, "distinct1_after", ev.distinct1After());
        put(o, "distinct2_before", ev.distinct2Before());
        put(o, "distinct2_after", ev.distinct2After());
        put(o, "sentiment_before", ev.sentimentBefore());
        put(o, "sentiment_after", ev.sentimentAfter());
        put(o, "rm_accuracy", r.reward().heldOutAccuracy());
        put(o, "rm_accuracy_truth", r.reward().truthAccuracy());
        put(o, "rm_accuracy_uci", r.reward().uciAccuracy());
        o.put("rm_train_rankings", r.reward().trainRankings());
        o.put("rm_train_uci_pairs", r.reward().uciPairs());
        o.put("feedback_rankings", r.feedback().labels().size());
        o.put("feedback_skipped", r.feedback().skipped());
        o.put("rm_heldout_rankings", r.reward().heldOutRankings());
        put(o, "panel_agreement_with_truth", r.feedback().agreementWithTruth());
        put(o, "annotator_pairwise_agreement", r.feedback().agreement().pairwiseAgreement());
        put(o, "pretrain_val_loss", r.pretraining().finalValLoss());
        o.put("ppo_iterations", r.ppo().iterations().size());
        put(o, "seconds_total", r.secondsTotal());
        ObjectNode s = o.putObject("seconds");
        r.seconds().forEach((stage, sec) -> put(s, stage.key(), sec));
        put(o, "peak_heap_mb", DemoResult.Heap.mb(r.heap().peakUsed()));
        put(o, "peak_live_heap_mb", DemoResult.Heap.mb(r.heap().peakLive()));
        put(o, "heap_pool_peak_sum_mb", DemoResult.Heap.mb(r.heap().poolPeakSum()));
        put(o, "max_heap_mb", DemoResult.Heap.mb(r.heap().max()));
        o.put("gc_count", r.heap().collections());
        o.put("backend", r.backend());
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("java", System.getProperty("java.version"));
        o.put("seed", r.config().seed());
        o.set("config", LINES.valueToTree(r.config()));
        return o;
    }

    /** The value of {@code key} in the last iteration that has it, or NaN. */
    static double lastMetric(List<Map<String, Double>> iterations, String key) {
        for (int i = iterations.size() - 1; i >= 0; i--) {
            Double v = iterations.get(i).get(key);
            if (v != null) {
                return v;
            }
        }
        return Double.NaN;
    }

    static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key); // JSON has no NaN
        }
    }

    private static void atomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
