package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rlhf4j.embedding.ChildJvm;

/**
 * Why bin/rlhf4j, bin/bench and the test JVMs preload the JDK's lib/libjsig.so (docs/gpu.md, "Signal
 * handlers"): PoCL's LLVM replaces the JVM's SIGSEGV handler when it builds a kernel, which -Xcheck:jni
 * reports, and with signal chaining it no longer does. Needs an OpenCL device and a JDK with libjsig.so
 * (Linux); skipped, with the reason, elsewhere.
 */
class OpenClSignalChainingTest {

    private static final Path JSIG = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    private static final String MODIFIED = "SIGSEGV handler modified";

    /** pom.xml's jsig profile names the library (rlhf4j.preload) and preloads it; run elsewhere, this is skipped. */
    @Test
    void theTestJvmPreloadsTheLibraryThePomNames() {
        String named = System.getProperty("rlhf4j.preload", "");
        assumeTrue(!named.isBlank(), "not run by Maven with the jsig profile (no rlhf4j.preload)");
        assertEquals(JSIG, Path.of(named), "the profile names this JDK's library");
        String preload = System.getenv("LD_PRELOAD");
        assertTrue(preload != null && preload.contains(named), "LD_PRELOAD=" + preload);
    }

    @Test
    void openClReplacesTheJvmsSignalHandlerUnlessSignalChainingIsPreloaded() throws Exception {
        OpenClSupport.kernels(); // an OpenCL device, or skipped (a failure under -Drlhf4j.requireOpenCl=true)
        assumeTrue(Files.isRegularFile(JSIG), "this JDK has no " + JSIG);
        String without = run(false), with = run(true);
        // (the product itself is not checked: -Xcheck:jni hands Aparapi guarded copies of the arrays)
        assertTrue(without.contains("launched"), without);
        assertTrue(with.contains("launched"), with);
        // The hazard is the OpenCL runtime's: a runtime that leaves the handlers alone passes the first check.
        assumeTrue(without.contains(MODIFIED), "this OpenCL runtime leaves the JVM's SIGSEGV handler alone");
        assertFalse(with.contains(MODIFIED), with);
        assertFalse(with.contains("signal handlers"), "no warning from SignalChaining with libjsig: " + with);
        assertEquals(1, without.split("LD_PRELOAD=" + JSIG, -1).length - 1, "one warning without: " + without);
    }

    private static String run(boolean preload) throws Exception {
        List<String> flags = new ArrayList<>(List.of("-Xcheck:jni", "--add-modules=jdk.incubator.vector",
                ChildJvm.enableNativeAccess()));
        ProcessBuilder pb = ChildJvm.processBuilder(ChildJvm.command(flags, SignalProbe.class));
        if (preload) {
            pb.environment().put("LD_PRELOAD", JSIG.toString());
        } else {
            pb.environment().remove("LD_PRELOAD");
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
