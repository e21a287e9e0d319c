package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.report.HtmlChecks;
import org.rlhf4j.rlhf.report.HtmlReport;

/** One quick demo, run once, and what it leaves behind. */
class DemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static DemoResult result;
    static List<String> stages = new ArrayList<>();

    @BeforeAll
    static void runQuickDemo() throws IOException {
        result = Demo.run(DemoConfig.quick(), dir, new DemoListener() {
            @Override
            public void stageFinished(DemoStage stage, double seconds, String outcome) {
                stages.add(stage.key());
            }
        });
    }

    @Test
    void everyStageRunsInOrder() {
        assertEquals(List.of("pretrain", "sample", "feedback", "reward", "ppo", "evaluate", "report"), stages);
        assertEquals(DemoConfig.quick().ppo().iterations(), result.ppo().iterations().size());
    }

    @Test
    void summaryJsonHasTheFieldsOutsideChecksRead() throws IOException {
        JsonNode s = JSON.readTree(dir.resolve(DemoFiles.SUMMARY).toFile());
        for (String key : List.of("reward_before", "reward_after", "kl_final", "panel_win_rate", "distinct2_before",
                "distinct2_after", "seconds_total", "peak_heap_mb")) {
            assertTrue(s.path(key).isNumber(), key + " is a number in " + s);
        }
        assertTrue(s.get("panel_win_rate").asDouble() >= 0 && s.get("panel_win_rate").asDouble() <= 1);
        assertTrue(s.get("seconds_total").asDouble() > 0);
        assertTrue(s.get("peak_heap_mb").asDouble() > 0);
        assertTrue(s.get("kl_final").asDouble() > -1e-3, "a KL estimate from the policy's own samples");
        assertEquals(s.get("panel_wins").asInt() + s.get("panel_ties").asInt() + s.get("panel_losses").asInt(),
                s.get("head_to_heads").asInt());
        assertEquals(s.get("panel_wins").asDouble() / s.get("head_to_heads").asDouble(),
                s.get("panel_win_rate_strict").asDouble(), 1e-12, "wins alone");
        JsonNode ci = s.get("panel_win_rate_ci95");
        assertTrue(ci.size() == 2 && ci.get(0).asDouble() <= s.get("panel_win_rate").asDouble()
                && s.get("panel_win_rate").asDouble() <= ci.get(1).asDouble(), "the interval holds the rate: " + ci);
        for (DemoStage stage : List.of(DemoStage.PRETRAIN, DemoStage.REWARD, DemoStage.PPO, DemoStage.EVALUATE)) {
            assertTrue(s.path("seconds").path(stage.key()).isNumber(), stage.key());
        }
    }

    /**
     * The PPO settings in summary.json are those PPO ran with: the demo's response length and temperature
     * and no stop token (the quick preset's PpoConfig alone says 32 tokens at 0.7).
     */
    @Test
    void summaryJsonRecordsThePpoConfigThatRan() throws IOException {
        JsonNode ppo = JSON.readTree(dir.resolve(DemoFiles.SUMMARY).toFile()).path("config").path("ppo").path("config");
        assertTrue(ppo.path("temperature").isNumber() && ppo.path("maxNewTokens").isNumber(), ppo.toString());
        assertEquals(result.config().temperature(), ppo.get("temperature").floatValue());
        assertEquals(result.config().responseTokens(), ppo.get("maxNewTokens").asInt());
        assertEquals("none", ppo.path("stopToken").asText());
    }

    @Test
    void metricsJsonlHasOneRowPerPpoIterationUnderTrlNames() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(result.ppo().iterations().size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row = JSON.readTree(lines.get(i));
            assertEquals(i + 1, row.get("iteration").asInt());
            for (String key : PpoIteration.KEYS) {
                assertTrue(row.has(key), key + " in " + row);
            }
        }
    }

    @Test
    void theReportIsSelfContainedWithEveryChartAndTheSummaryNumbers() throws IOException {
        String html = Files.readString(dir.resolve(HtmlReport.FILE));
        HtmlChecks.assertSelfContainedHtml(html);
        assertEquals(8, HtmlChecks.svgCount(html), "reward, KL, entropy, value loss, clip fraction, RM accuracy, "
                + "RM loss, pretraining loss");
        for (String title : List.of("PPO: reward", "PPO: KL to the reference", "PPO: entropy", "PPO: value loss",
                "PPO: clip fraction", "Reward model", "Pretraining loss")) {
            assertTrue(html.contains(">" + title + "</text>"), title);
        }
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * result.evaluation().winRate())));
        Evaluation.Pair first = result.evaluation().pairs().get(0);
        assertTrue(html.contains(org.rlhf4j.rlhf.report.Html.escape(first.tuned())), "the side-by-side samples");
    }

    @Test
    void samplesAndPreferencesAreWrittenInTheirFormats() throws IOException {
        List<String> samples = Files.readAllLines(dir.resolve(DemoFiles.SAMPLES));
        assertEquals(result.evaluation().pairs().size(), samples.size());
        assertTrue(JSON.readTree(samples.get(0)).has("tuned"));
        Path prefs = dir.resolve(Feedback.FILE);
        assertTrue(Files.exists(prefs));
        int written = PreferenceReader.read(prefs, PreferenceReader.Options.strict().withRequireRecords(false)).size();
        assertEquals(result.feedback().labels().size() + result.feedback().windowLabels().size(), written,
                "the samples' rankings, then the windows'");
        int windows = result.feedback().windowLabels().size(); // the panel leaves out items it scores all equal
        assertTrue(windows > 0 && windows <= result.config().windowItems(), windows + " windows' rankings");
    }

    @Test
    void theTunedPolicyMovedAndTheReferenceDidNot() {
        assertFalse(result.ppo().policy() == result.ppo().reference());
        double kl = result.evaluation().kl();
        assertTrue(Double.isFinite(kl) && kl != 0, "after PPO the policy differs from the reference: KL " + kl);
    }
}
