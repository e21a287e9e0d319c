package org.rlhf4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rlhf4j.kernels.BackendUnavailableException;
import org.rlhf4j.kernels.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j info}: the JVM, the kernel backend and its threads, the Vector API module, the heap,
 * and one line per OpenCL device ({@code opencl:     #0 platform="..." device="..." compute-units=N type=gpu|cpu|acc}),
 * or one {@code opencl:     none: <why>} line. This format is an interface: scripts read it.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the JVM, backend and threads in use.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.println("rlhf4j:     " + new Rlhf4j.Version().getVersion()[0].substring("rlhf4j ".length()));
        out.println("java:       " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                + ", " + System.getProperty("java.vm.name") + ")");
        out.println("backend:    " + Backends.currentName() + "  (-D" + Backends.BACKEND_PROPERTY + "=scalar|simd|opencl|auto)");
        out.println("threads:    " + Backends.current().parallel().threads() + " kernel threads, "
                + rt.availableProcessors() + " processors  (-D" + Backends.THREADS_PROPERTY + "=N)");
        out.println("vector api: " + (Backends.simdAvailable() ? "present (" + Backends.VECTOR_MODULE + ")"
                : "absent: launch with --add-modules " + Backends.VECTOR_MODULE + " (bin/rlhf4j does)"));
        out.printf("max heap:   %,d MiB  (-Xmx)%n", rt.maxMemory() >> 20);
        try {
            for (String device : Backends.openClDevices()) {
                out.println("opencl:     " + device);
            }
        } catch (BackendUnavailableException e) {
            out.println("opencl:     none: " + e.getMessage());
        }
        return 0;
    }
}
