package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.embedding.ChildJvm;

/**
 * The real thing, at least {@link #KILLS} times: a child JVM ({@link CrashingSaver}) saves checkpoints
 * back to back into one directory and is killed with SIGKILL ({@code destroyForcibly}, like kill -9) at a
 * random moment. Each time the directory must load, with every file's size and SHA-256 checked against the
 * manifest, and hold exactly the last save that completed (or the one whose "saved" line the kill beat),
 * never parts of two. The next child, on starting, calls {@link Checkpoint#cleanUp}: after it no
 * {@code .tmp-} or {@code .old-} sibling is left, and the checkpoint is unchanged. To keep 50 kills fast,
 * the next child JVM is started while the current one saves and waits on stdin until it is needed.
 */
class CheckpointKillTest {

    static final int KILLS = Integer.getInteger("rlhf4j.killTest.kills", 50);

    @TempDir
    Path root;

    @Test
    void fiftyKillNinesAtRandomMomentsAlwaysLeaveTheLastCompletedCheckpoint() throws Exception {
        Path dir = root.resolve("ckpt");
        long seed = Long.getLong("rlhf4j.killTest.seed", System.nanoTime());
        Random random = new Random(seed);
        long step = 0; // what the directory holds now
        int midSave = 0, betweenRenames = 0, cleanedStale = 0;
        long saves = 0;
        long started = System.nanoTime();
        Child next = new Child(dir, 0);
        for (int kill = 1; kill <= KILLS; kill++) {
            Child child = next;
            // the next start: clean up, then the checkpoint must still be the one the last kill left
            child.send("go");
            String[] clean = child.expect("clean").split(" ");
            cleanedStale += Integer.parseInt(clean[1]);
            assertEquals(step, Long.parseLong(clean[2]), "kill " + kill + ": the checkpoint the child found");
            assertEquals(0, siblings(".tmp-") + siblings(".old-"), "kill " + kill + ": stale siblings after cleanUp");
            next = new Child(dir, kill); // warms up while this one saves
            child.send("save");
            if (step == 0) {
                child.expect("saved"); // a first checkpoint to protect; from then on every moment counts
            }
            Thread.sleep(random.nextInt(300));
            long lastSaved = child.kill();
            saves += Math.max(0, lastSaved - step);
            // what the kill left: a staging dir (mid-save), a set-aside copy and no dir (between the renames)
            if (siblings(".tmp-") > 0) {
                midSave++;
            }
            if (!Files.exists(dir) && siblings(".old-") > 0) {
                betweenRenames++;
            }
            long known = Math.max(step, lastSaved);
            CheckpointData loaded = Checkpoint.load(dir); // sizes and SHA-256 checked against the manifest
            long got = loaded.state().get("step").longValue();
            assertTrue(got == known || got == known + 1, "kill " + kill + ": loaded step " + got
                    + ", the last save reported complete was " + known + "; log: " + child.log());
            assertEquals(got, loaded.config().get("step_too").longValue(), "config from the same save");
            assertArrayEquals(CrashingSaver.weights(got), loaded.weight("w").data(), "weights from the same save");
            assertArrayEquals(CrashingSaver.weights(got + 1), loaded.optimizerTensor("w.exp_avg").data(),
                    "optimizer from the same save");
            step = got;
        }
        next.send("go");
        String[] clean = next.expect("clean").split(" ");
        cleanedStale += Integer.parseInt(clean[1]);
        assertEquals(step, Long.parseLong(clean[2]));
        assertEquals(0, siblings(".tmp-") + siblings(".old-"), "stale siblings after the last cleanUp");
        next.kill();
        assertEveryFileHasAChecksum(dir);
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.writeString(Path.of("target", "checkpoint-kill.txt"), String.format(
                "seed %d: kills %d, saves completed %d, kills mid-save %d, between the renames %d, stale siblings "
                        + "cleaned %d, %.1f s%n", seed, KILLS, saves, midSave, betweenRenames, cleanedStale, seconds),
                StandardCharsets.UTF_8);
        assertTrue(step >= 1, "at least one save finished");
        assertTrue(midSave > 0, "no kill landed during a save (the child saves back to back, so most do)");
    }

    /** The manifest records a SHA-256 for every file, so the load above really compared checksums. */
    private static void assertEveryFileHasAChecksum(Path dir) throws IOException {
        JsonNode files = Json.readObject(dir.resolve(Manifest.FILE)).get("files");
        assertTrue(files.size() >= 4, files.toString());
        files.properties().forEach(f -> assertTrue(f.getValue().path("sha256").isTextual(), f.getKey()));
    }

    /** How many entries beside the checkpoint start with {@code ckpt<kind>}: what an interrupted save left. */
    private long siblings(String kind) throws IOException {
        try (var files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("ckpt" + kind)).count();
        }
    }

    /** One CrashingSaver JVM; its stdout lines go to a queue, its stderr to a log file. */
    private final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private final Path log;
        private long lastSaved;

        Child(Path dir, int n) throws IOException {
            log = root.resolve("child-" + n + ".log");
            process = new ProcessBuilder(ChildJvm.command(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"),
                    CrashingSaver.class, dir.toString()))
                    .redirectError(log.toFile()).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("reader: " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The next line, which must start with {@code word}. */
        String expect(String word) throws Exception {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "no '" + word + "' from the child in 60 s; log: " + log());
            assertTrue(line.startsWith(word + " "), line + "; log: " + log());
            if (word.equals("saved")) {
                lastSaved = Long.parseLong(line.substring(6));
            }
            return line;
        }

        /** SIGKILL, then the last step the child reported saved (0 if none). */
        long kill() throws Exception {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child outlived SIGKILL");
            reader.join(10_000);
            for (String line : List.copyOf(lines)) {
                if (line.startsWith("saved ")) {
                    lastSaved = Long.parseLong(line.substring(6));
                }
            }
            return lastSaved;
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }
    }
}
