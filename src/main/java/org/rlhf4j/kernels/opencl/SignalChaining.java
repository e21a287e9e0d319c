package org.rlhf4j.kernels.opencl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JVM relies on its own SIGSEGV handler: safepoint polls and implicit null checks in compiled code fault
 * on purpose. An OpenCL runtime that compiles kernels with an in-process LLVM (PoCL does) installs LLVM's
 * crash handlers for SIGSEGV, SIGBUS, SIGILL and SIGFPE over the JVM's (-Xcheck:jni reports "SIGSEGV handler
 * modified" right after the first kernel is built). LLVM's handler is installed with SA_RESETHAND and puts the
 * old handler back when it runs, so a single fault survives, but two threads that fault at once (every thread
 * polls at a safepoint) can meet the default action, and the process dies with a bare "Segmentation fault":
 * on PoCL, 8 of 41 training runs of the baby GPT on the opencl backend did, none of 32 with the fix.
 *
 * <p>The fix is the JDK's signal chaining: {@code lib/libjsig.so}, preloaded, makes a native library's
 * {@code sigaction} register its handler behind the JVM's instead of replacing it. bin/rlhf4j, bin/bench and
 * the test JVMs preload it; it cannot be loaded from Java, so an application that embeds the opencl backend
 * must start its JVM with {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}. This class logs one WARNING when it
 * is missing on Linux (docs/gpu.md, "Signal handlers").
 */
final class SignalChaining {

    private static final System.Logger LOG = System.getLogger(SignalChaining.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SignalChaining() {
    }

    /** The JDK's libjsig.so when this is Linux and the JDK has one and it is not preloaded; else null. */
    static Path missing(String osName, String javaHome, String preload) {
        if (osName == null || !osName.toLowerCase(java.util.Locale.ROOT).contains("linux") || javaHome == null) {
            return null;
        }
        Path jsig = Path.of(javaHome, "lib", "libjsig.so");
        boolean preloaded = preload != null && preload.contains("libjsig");
        return !preloaded && Files.isRegularFile(jsig) ? jsig : null;
    }

    /** Logs the warning once per JVM when signal chaining is missing. */
    static void warnIfMissing() {
        Path jsig = missing(System.getProperty("os.name"), System.getProperty("java.home"), System.getenv("LD_PRELOAD"));
        if (jsig != null && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "rlhf4j: the OpenCL runtime may replace the JVM's signal handlers"
                    + " (PoCL's LLVM does), which can crash the JVM; start it with LD_PRELOAD=" + jsig
                    + " (bin/rlhf4j does; docs/gpu.md, \"Signal handlers\")");
        }
    }
}
