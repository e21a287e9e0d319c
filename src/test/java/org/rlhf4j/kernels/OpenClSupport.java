package org.rlhf4j.kernels;

/**
 * The OpenCL kernels for tests, made once per JVM, or the reason there are none (no Aparapi, no
 * OpenCL runtime, no device). Tests call {@link #kernels()} inside a JUnit assumption, so that on a
 * machine without OpenCL they are reported as skipped, with the reason, never silently passed.
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

    /** The OpenCL kernels; aborts the calling test (skipped, with the reason) when there are none. */
    public static Kernels kernels() {
        org.junit.jupiter.api.Assumptions.assumeTrue(KERNELS != null, () -> "no OpenCL device: " + WHY_NOT);
        return KERNELS;
    }

    /** True when an OpenCL device was found. */
    public static boolean available() {
        return KERNELS != null;
    }
}
