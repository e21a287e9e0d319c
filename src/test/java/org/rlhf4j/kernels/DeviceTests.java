package org.rlhf4j.kernels;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.DiscoverySelector;

/**
 * Runs the OpenCL tests without Maven, on a machine that has only a JVM, the compiled classes and the jars
 * (bench/gpu_check.sh's {@code tests} section, on a GPU): the kernels' properties against the scalar reference,
 * the transfer discipline in copy mode, the PyTorch parity fixture and a short training run. Prints JUnit's
 * summary and every failure; exits 1 when a test failed or none ran, 0 otherwise.
 *
 * <p>{@code java -cp target/classes:target/test-classes:<jars> org.rlhf4j.kernels.DeviceTests [class names]}
 */
public final class DeviceTests {

    /** The tests that exercise the OpenCL kernels (those that read OpenClSupport or build OpenClKernels). */
    static final List<String> CLASSES = List.of(
            "org.rlhf4j.kernels.OpenClKernelsProperties",
            "org.rlhf4j.kernels.OpenClAttentionProperties",
            "org.rlhf4j.kernels.OpenClHeadProperties",
            "org.rlhf4j.kernels.opencl.OpenClHeadGroupsTest",
            "org.rlhf4j.kernels.opencl.BufferModeTest",
            "org.rlhf4j.kernels.opencl.SkippedPutsTest",
            "org.rlhf4j.kernels.opencl.AutoKernelsTest",
            "org.rlhf4j.nn.GptReferenceTest",
            "org.rlhf4j.nn.OpenClTrainingTest");

    private DeviceTests() {
    }

    public static void main(String[] args) {
        if (OpenClSupport.available()) {
            org.rlhf4j.kernels.opencl.OpenClKernels k = (org.rlhf4j.kernels.opencl.OpenClKernels) OpenClSupport.kernels();
            System.out.println("DeviceTests on " + k.deviceDescription() + ", buffers=" + k.bufferMode()
                    + ", matmul block " + k.matmulBlock());
        } else {
            System.out.println("DeviceTests: no OpenCL device (the tests will say why)");
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String c : args.length > 0 ? List.of(args) : CLASSES) {
            selectors.add(DiscoverySelectors.selectClass(c));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 12);
        boolean ok = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(ok ? 0 : 1);
    }
}
