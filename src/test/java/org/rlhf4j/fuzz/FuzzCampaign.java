package org.rlhf4j.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.SftReaderFuzz;
import org.rlhf4j.feedback.PreferenceReaderFuzz;
import org.rlhf4j.feedback.ScoringInputFuzz;
import org.rlhf4j.feedback.label.PromptFileFuzz;
import org.rlhf4j.io.SafeTensorsFuzz;
import org.rlhf4j.rlhf.ppo.PpoPromptsFuzz;

/**
 * The fuzz campaign, run in its own small JVM by FuzzCampaignTest (at -Xmx256m, so an allocation sized
 * from the input shows up as the OutOfMemoryError it would be): the safetensors reader and every reader of
 * user-given JSONL in src/main (SftReader, PreferenceReader, ScoringInput, the label command's PromptFile and
 * PPO's PpoPrompts), {@link #INPUTS} inputs in all. Usage: {@code FuzzCampaign <seed> <report file>};
 * writes one {@link Fuzzer.Result#line()} per reader, then {@code total ...}; exits 1 with the failure on
 * the first input that breaks a reader's contract.
 */
public final class FuzzCampaign {

    /** The readers, as their report lines name them, in order. */
    public static final List<String> READERS = List.of("io.SafeTensors", "data.SftReader", "feedback.PreferenceReader",
            "feedback.ScoringInput", "feedback.label.PromptFile", "rlhf.ppo.PpoPrompts");

    /** Inputs per campaign, over the six readers. */
    public static final int INPUTS = 30_000 + 3 * 15_000 + 2 * 14_000;

    private FuzzCampaign() {
    }

    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[0]);
        Path report = Path.of(args[1]);
        Path dir = Files.createTempDirectory("rlhf4j-fuzz");
        List<String> lines = new ArrayList<>();
        long start = System.nanoTime();
        int exit = 0;
        try {
            List<Fuzzer.Result> results = List.of(
                    SafeTensorsFuzz.run(seed, 30_000, dir), // through a file: the slowest per input
                    SftReaderFuzz.run(seed, 15_000),
                    PreferenceReaderFuzz.run(seed, 15_000),
                    ScoringInputFuzz.run(seed, 15_000),
                    PromptFileFuzz.run(seed, 14_000, dir), // these two read files too
                    PpoPromptsFuzz.run(seed, 14_000, dir));
            long inputs = 0;
            for (Fuzzer.Result r : results) {
                lines.add(r.line());
                inputs += r.inputs();
            }
            lines.add(String.format(java.util.Locale.ROOT, "total seed=%d inputs=%d seconds=%.2f max_heap_mb=%d",
                    seed, inputs, (System.nanoTime() - start) / 1e9, Runtime.getRuntime().maxMemory() >> 20));
        } catch (Fuzzer.Failure | RuntimeException f) { // a failure, or a broken harness
            java.io.StringWriter w = new java.io.StringWriter();
            f.printStackTrace(new java.io.PrintWriter(w));
            lines.add("FAILED " + w);
            exit = 1;
        } finally {
            Files.deleteIfExists(dir.resolve("fuzz.safetensors"));
            for (Path f : PromptFileFuzz.files(dir)) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(PpoPromptsFuzz.file(dir));
            Files.deleteIfExists(dir);
        }
        Files.write(report, lines);
        System.exit(exit);
    }
}
