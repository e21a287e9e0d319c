package org.rlhf4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.embedding.ChildJvm;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.kernels.Backends;

/**
 * RELIABILITY.md's resume, literally: K steps in one JVM, which checkpoints and exits; a fresh JVM
 * loads the checkpoint and runs K more; the losses, gradient norms, validation losses (metrics.jsonl,
 * where Jackson writes each double's shortest exact form) and final weights equal, bit for bit, those
 * of 2K straight steps in this JVM. The children get this JVM's backend and thread count.
 */
class ResumeInFreshJvmTest {

    @Test
    void kStepsThenAFreshJvmEqualsTwoKStraightSteps(@TempDir Path straight, @TempDir Path split) throws Exception {
        int K = 3;
        TrainerTest.fresh(TrainerTest.config(2 * K), straight, TrainListener.NONE).run();
        child(split, "start", split.toString(), String.valueOf(K), String.valueOf(2 * K));
        child(split, "resume", split.toString());

        List<JsonNode> a = new MetricsLog(straight.resolve(MetricsLog.FILE)).read();
        List<JsonNode> b = new MetricsLog(split.resolve(MetricsLog.FILE)).read();
        assertEquals(2 * K, b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String key : List.of("step", "train_loss", "grad_norm", "lr", "val_loss")) {
                assertEquals(a.get(i).get(key), b.get(i).get(key), key + " of row " + i);
            }
        }
        List<NamedTensor> wa = ModelCheckpoint.load(straight).data().weights();
        List<NamedTensor> wb = ModelCheckpoint.load(split).data().weights();
        assertEquals(wa.size(), wb.size());
        for (int i = 0; i < wa.size(); i++) {
            assertArrayEquals(wa.get(i).data(), wb.get(i).data(), wa.get(i).name());
        }
    }

    private static void child(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + Backends.BACKEND_PROPERTY + "=" + Backends.currentName(),
                "-D" + Backends.THREADS_PROPERTY + "=" + Backends.current().parallel().threads()));
        if (Backends.simdAvailable()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(ChildJvm.main(ResumeChild.class));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("child-" + args[0] + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child " + args[0] + " timed out; log: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "child " + args[0] + ": " + Files.readString(log));
    }
}
