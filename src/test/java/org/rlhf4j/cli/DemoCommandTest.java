package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j demo}: the quick demo end to end, and its usage errors (one line, exit 2). */
class DemoCommandTest {

    @Test
    void quickDemoWritesTheReportTheMetricsAndTheSummary(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("demo");
        Rlhf4jTest.Result r = Rlhf4jTest.run("demo", "--quick", "--out", out.toString(), "--progress", "none");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"report.html", "metrics.jsonl", "summary.json", "samples.jsonl"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.get("panel_win_rate").isNumber() && s.get("kl_final").isNumber());
        assertTrue(r.out().contains("[5/7] ppo"), r.out());
        assertTrue(r.out().contains("  reference  ") && r.out().contains("  tuned      "), "side by side: " + r.out());
        assertTrue(r.out().contains("panel prefers tuned"), r.out());
    }

    @Test
    void outMustBeNewOrEmpty(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("old.txt"), "x");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--quick", "--out", tmp.toString()), "not empty");
        Path file = tmp.resolve("old.txt");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--quick", "--out", file.toString()), "is a file");
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2(@TempDir Path tmp) {
        String out = tmp.resolve("d").toString();
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--quick"), "--out");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--out", out, "--set", "nope=1"), "unknown setting 'nope'");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--out", out, "--set", "ppo.iterations=x"),
                "ppo.iterations takes an integer");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--out", out, "--progress", "loud"), "--progress loud");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("demo", "--out", out, "--seed", "abc"), "--seed");
        assertTrue(Files.notExists(tmp.resolve("d")), "nothing is written before the arguments are checked");
    }
}
