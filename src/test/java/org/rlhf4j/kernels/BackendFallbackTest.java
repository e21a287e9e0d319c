package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rlhf4j.embedding.ChildJvm;

/**
 * Starts real JVMs with and without {@code --add-modules jdk.incubator.vector} and checks that the
 * engine picks the right kernels, computes the right answer, and never dies of NoClassDefFoundError.
 */
class BackendFallbackTest {

    private static final String PRODUCT = "product=58.0,64.0,139.0,154.0"; // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]]

    @Test
    void withoutTheVectorModuleAutoFallsBackToScalarAndLogsIt() throws Exception {
        String out = runProbe(List.of());
        assertTrue(out.contains("backend=scalar simdAvailable=false"), out);
        assertTrue(out.contains(PRODUCT), out);
        assertTrue(out.contains("running the scalar kernels"), "the fallback is logged: " + out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }

    @Test
    void withoutTheVectorModuleAskingForSimdSaysHowToMendIt() throws Exception {
        String out = runProbe(List.of("-Drlhf4j.backend=simd"));
        assertTrue(out.contains("exception=" + BackendUnavailableException.class.getName()), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }

    @Test
    void withTheVectorModuleAutoPicksSimd() throws Exception {
        String out = runProbe(List.of("--add-modules", "jdk.incubator.vector"));
        assertTrue(out.contains("backend=simd simdAvailable=true"), out);
        assertTrue(out.contains(PRODUCT), out);
    }

    @Test
    void scalarCanBeForcedByProperty() throws Exception {
        String out = runProbe(List.of("--add-modules", "jdk.incubator.vector", "-Drlhf4j.backend=scalar"));
        assertTrue(out.contains("backend=scalar simdAvailable=true"), out);
        assertTrue(out.contains(PRODUCT), out);
    }

    @Test
    void unknownBackendNameIsRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.create("cuda", Parallel.sequential()));
        assertTrue(e.getMessage().contains("scalar, simd, opencl or auto"), e.getMessage());
    }

    private static String runProbe(List<String> jvmArgs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.addAll(ChildJvm.main(FallbackProbe.class));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish in 60 s: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
