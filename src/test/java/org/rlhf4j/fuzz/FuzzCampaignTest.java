package org.rlhf4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rlhf4j.embedding.ChildJvm;

/**
 * RELIABILITY.md's fuzzing target, counted: over 100,000 generated and mutated inputs to the
 * safetensors reader and the five JSONL readers ({@link FuzzCampaign#READERS}, each of which must report)
 * in a child JVM at -Xmx256m, in under two minutes; only declared exceptions, no input slower than a second.
 * The seed is new each run (printed in the report, target/fuzz-campaign.txt) unless -Drlhf4j.fuzz.seed gives
 * one to replay.
 */
class FuzzCampaignTest {

    private static final Pattern TOTAL = Pattern.compile("^total seed=(-?\\d+) inputs=(\\d+) seconds=([0-9.]+)");

    @Test
    void oneHundredThousandInputsOnlyDeclaredExceptionsAtXmx256m() throws Exception {
        long seed = Long.getLong("rlhf4j.fuzz.seed", System.nanoTime());
        Path report = Path.of("target", "fuzz-campaign.txt");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        Process p = new ProcessBuilder(ChildJvm.command(List.of("-Xmx256m", "-Xss1m", "-XX:+UseSerialGC"), FuzzCampaign.class,
                Long.toString(seed), report.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean done = p.waitFor(170, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.exists(report) ? Files.readAllLines(report) : List.of("(no report)");
        String all = String.join("\n", lines);
        assertTrue(done, "the campaign did not finish in 170 s (seed " + seed + ")");
        assertEquals(0, p.exitValue(), all);
        Matcher m = TOTAL.matcher(lines.get(lines.size() - 1));
        assertTrue(m.find(), all);
        assertEquals(FuzzCampaign.READERS, lines.subList(0, lines.size() - 1).stream().map(l -> l.split(" ")[0]).toList(),
                "one line per reader:\n" + all);
        assertEquals(FuzzCampaign.INPUTS, Long.parseLong(m.group(2)), all);
        assertTrue(Long.parseLong(m.group(2)) >= 100_000, all);
        assertTrue(Double.parseDouble(m.group(3)) < 120, "over two minutes:\n" + all);
    }
}
