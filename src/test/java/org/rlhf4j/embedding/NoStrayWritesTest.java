package org.rlhf4j.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/embedding.md's "nothing is written to the home or temp directory": a child JVM (in the suite's mode,
 * {@link ChildJvm}) whose {@code java.io.tmpdir} and {@code user.home} are fresh empty folders pretrains,
 * checkpoints, resumes, loads, saves a copy and samples ({@link StrayWritesProbe}) into a run folder this test
 * gives it; afterwards the run folder holds the run, and the other two are still empty. (No OpenCL is asked
 * for: that backend's one documented exception, aparapi-jni's unpacked JNI library, stays out.)
 */
class NoStrayWritesTest {

    @Test
    void trainingCheckpointsAndSamplingWriteOnlyWhereTheyAreTold(@TempDir Path base) throws Exception {
        Path home = Files.createDirectory(base.resolve("home"));
        Path tmp = Files.createDirectory(base.resolve("tmp"));
        Path run = Files.createDirectory(base.resolve("run"));
        List<String> cmd = ChildJvm.command(List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "--add-modules", "jdk.incubator.vector", "-Drlhf4j.threads=1", "-Xmx256m"),
                StrayWritesProbe.class, run.toString());
        Path log = base.resolve("child.log"); // beside the three folders, not in them
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertTrue(finished, "the probe did not finish in 120 s:\n" + out);
        assertEquals(0, p.exitValue(), cmd + "\n" + out);
        assertTrue(out.contains("\ndone"), out);
        List<String> written = tree(run);
        assertTrue(written.contains("pretrain/metrics.jsonl"), "the run went where it was told: " + written);
        assertTrue(written.contains("pretrain/checkpoint/manifest.json"), "a checkpoint in the run folder: " + written);
        assertTrue(written.contains("copy/manifest.json"), "the copy in the run folder: " + written);
        assertEquals(List.of(), tree(tmp), "written to java.io.tmpdir");
        assertEquals(List.of(), tree(home), "written to user.home");
    }

    /** Every path under {@code dir}, relative to it. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(q -> !q.equals(dir)).map(q -> dir.relativize(q).toString()).sorted().toList();
        }
    }
}
