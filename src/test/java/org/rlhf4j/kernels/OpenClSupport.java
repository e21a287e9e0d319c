package org.rlhf4j.kernels;

import org.rlhf4j.embedding.Prerequisites;

/**
 * The OpenCL kernels for tests, made once per JVM, or the reason there are none (no Aparapi, no
 * OpenCL runtime, no device). Tests call {@link #kernels()} inside a JUnit assumption, so that on a
 * machine without OpenCL they are reported as skipped, with the reason, never silently passed; with
 * {@code -Drlhf4j.requireOpenCl=true} (.ci/run, whose machine has PoCL) they fail with the reason instead
 * ({@link Prerequisites}), so a broken PoCL install turns the build red.
 */
public final class OpenClSupport {

    private static final Kernels KERNELS;
    private static final String WHY_NOT;

    static {
        Kernels k = null;
        String why = null;
        try {
            k = Backends.create("opencl", Parallel.sequential());
        } catch (BackendUnavailableException e) {
            why = e.getMessage();
        }
        KERNELS = k;
        WHY_NOT = why;
    }

    private OpenClSupport() {
    }

    /**
     * The OpenCL kernels; when there are none, aborts the calling test (skipped, with the reason), or fails
     * it under {@code -Drlhf4j.requireOpenCl=true}.
     */
    public static Kernels kernels() {
        Prerequisites.require(Prerequisites.REQUIRE_OPENCL, KERNELS != null, () -> "no OpenCL kernels: " + WHY_NOT);
        return KERNELS;
    }

    /** True when an OpenCL device was found. */
    public static boolean available() {
        return KERNELS != null;
    }
}
