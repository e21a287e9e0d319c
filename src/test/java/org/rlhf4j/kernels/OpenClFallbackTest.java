package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.embedding.ChildJvm;

/**
 * Starts real JVMs with and without an OpenCL device and checks the backend choice: asking for
 * {@code opencl} without a device throws the typed exception with the install hint; {@code auto}
 * with a device asked for runs the CPU kernels and logs why; {@code auto} without one never loads
 * an Aparapi class. "No device" is made by pointing the OpenCL ICD loader at an empty vendor
 * directory ({@code OCL_ICD_VENDORS}), so the test runs on a machine with PoCL installed too.
 */
class OpenClFallbackTest {

    private static final String PRODUCT = "product=58.0,64.0,139.0,154.0";
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    @TempDir
    Path emptyVendors;

    @Test
    void askingForOpenClWithoutADeviceSaysWhatIsMissingAndHowToInstallIt() throws Exception {
        String out = runProbe(List.of(VECTOR, "-Drlhf4j.backend=opencl"), noDevice());
        assertTrue(out.contains("exception=" + BackendUnavailableException.class.getName()), out);
        assertTrue(out.contains("no OpenCL device") && out.contains("apt-get install"), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }

    @Test
    void autoWithADeviceAskedForButNoneRunsTheCpuKernelsAndLogsItOnce() throws Exception {
        String out = runProbe(List.of(VECTOR, "-Drlhf4j.opencl.device=0"), noDevice());
        assertTrue(out.contains("backend=simd") && out.contains(PRODUCT), out);
        assertEquals(1, out.split("OpenCL is unavailable", -1).length - 1, "one log line: " + out);
    }

    @Test
    void withoutAparapiOnTheClassPathAskingForOpenClSaysWhatToAdd() throws Exception {
        String out = runProbe(List.of(VECTOR, "-Drlhf4j.backend=opencl"), Map.of(), true);
        assertTrue(out.contains("exception=" + BackendUnavailableException.class.getName()), out);
        assertTrue(out.contains("needs Aparapi"), out);
        String auto = runProbe(List.of(VECTOR, "-Drlhf4j.opencl.device=0"), Map.of(), true);
        assertTrue(auto.contains("backend=simd") && auto.contains(PRODUCT) && auto.contains("OpenCL is unavailable"), auto);
    }

    @Test
    void autoWithoutADeviceAskedForNeverLoadsAparapi() throws Exception {
        String out = runProbe(List.of(VECTOR, "-Xlog:class+load=info"), Map.of());
        assertTrue(out.contains("backend=simd") && out.contains(PRODUCT), out);
        assertTrue(out.contains("org.rlhf4j.kernels.Backends"), "the class-load log works: " + out.length());
        assertFalse(out.contains("com.aparapi"), "no Aparapi class was loaded");
    }

    @Test
    void withADeviceOpenClRunsAndAutoKeepsTheFasterCpuKernelsOnPocl() throws Exception {
        String device = ((org.rlhf4j.kernels.opencl.OpenClKernels) OpenClSupport.kernels()).deviceName(); // or skipped
        String explicit = runProbe(List.of(VECTOR, "-Drlhf4j.backend=opencl"), Map.of());
        assertTrue(explicit.contains("backend=opencl") && explicit.contains(PRODUCT), explicit);
        String auto = runProbe(List.of(VECTOR, "-Drlhf4j.opencl.device=0"), Map.of());
        assertTrue(auto.contains(PRODUCT), auto);
        if (device.startsWith("pthread-") || device.startsWith("cpu-")) { // PoCL: recorded as never faster
            assertTrue(auto.contains("backend=simd") && auto.contains("slower than the simd kernels"), auto);
        }
    }

    private Map<String, String> noDevice() throws IOException {
        return Map.of("OCL_ICD_VENDORS", Files.createDirectories(emptyVendors).toString());
    }

    private static String runProbe(List<String> jvmArgs, Map<String, String> env) throws IOException, InterruptedException {
        return runProbe(jvmArgs, env, false);
    }

    /** Runs FallbackProbe in a child JVM; withoutAparapi drops Aparapi's jars from its class path. */
    private static String runProbe(List<String> jvmArgs, Map<String, String> env, boolean withoutAparapi)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        if (Runtime.version().feature() >= 24) {
            cmd.add(ChildJvm.enableNativeAccess());
        }
        cmd.addAll(ChildJvm.main(FallbackProbe.class, e -> !withoutAparapi || !e.contains("aparapi")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish in 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
