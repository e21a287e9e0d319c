package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.embedding.ChildJvm;

/**
 * The real thing: a child JVM appends records in a loop and is killed (SIGKILL) at a random moment,
 * four times, each run resuming from the prompts already in the file. Every record the child
 * acknowledged is there afterwards, in order, and the file reads cleanly once a writer has opened it.
 */
class PreferenceWriterKillTest {

    @TempDir
    Path root;

    @Test
    void killNineNeverLosesAnAcknowledgedRecord() throws Exception {
        Path file = root.resolve("labels.jsonl");
        Random random = new Random(7);
        long acked = -1;
        for (int round = 0; round < 4; round++) {
            Path log = root.resolve("child" + round + ".log");
            Process child = new ProcessBuilder(ChildJvm.command(List.of(), AppendingLabeller.class, file.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(log).contains("acked") && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(300));
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            List<String> acks = Files.readAllLines(log).stream().filter(l -> l.startsWith("acked ")).toList();
            assertTrue(!acks.isEmpty(), "the child wrote nothing: " + Files.readString(log));
            acked = Long.parseLong(acks.get(acks.size() - 1).substring(6));
            try (PreferenceWriter w = PreferenceWriter.open(file)) {
                assertTrue(w.droppedBytes() >= 0);
            }
            List<Preference> records = PreferenceReader.read(file).records();
            assertTrue(records.size() >= acked + 1, records.size() + " records, " + (acked + 1) + " acknowledged");
            for (int i = 0; i < records.size(); i++) {
                assertEquals(AppendingLabeller.record(i), records.get(i), "record " + i);
            }
        }
        assertTrue(acked >= 4, "each round resumed where the last stopped");
    }
}
