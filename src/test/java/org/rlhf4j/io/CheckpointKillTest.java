package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: a child JVM saves checkpoints in a loop and is killed (SIGKILL, like kill -9) at a
 * random moment; the directory must then load, and hold one whole checkpoint, never parts of two.
 */
class CheckpointKillTest {

    @TempDir
    Path root;

    @Test
    void killNineAtARandomMomentLeavesAConsistentCheckpoint() throws Exception {
        Path dir = root.resolve("ckpt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(42);
        long lastStep = 0;
        int killedMidSave = 0;
        // four rounds, and more (up to 16) until a kill lands inside a save: on a loaded machine a few
        // kills may all fall between two saves
        for (int round = 0; round < 4 || (killedMidSave == 0 && round < 16); round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashingSaver.class.getName(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(root.resolve("child.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(dir.resolve("manifest.json")) && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(400));
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            assertTrue(Files.exists(dir) || siblings("ckpt.old-") > 0, "log: " + Files.readString(root.resolve("child.log")));
            if (siblings("ckpt.tmp-") > 0) {
                killedMidSave++;
            }
            CheckpointData loaded = Checkpoint.load(dir);
            long step = loaded.state().get("step").longValue();
            assertEquals(step, loaded.config().get("step_too").longValue(), "config from the same save");
            assertArrayEquals(CrashingSaver.weights(step), loaded.weight("w").data(), "weights from the same save");
            assertArrayEquals(CrashingSaver.weights(step + 1), loaded.optimizerTensor("w.exp_avg").data(),
                    "optimizer from the same save");
            assertTrue(step >= 1, "at least one save finished");
            lastStep = step;
        }
        assertTrue(lastStep >= 1);
        assertTrue(killedMidSave > 0, "no kill landed during a save (the child saves back to back, so most do)");
    }

    /** How many entries beside the checkpoint start with {@code prefix}: what an interrupted save left. */
    private long siblings(String prefix) throws IOException {
        try (var files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
