package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.OpenClSupport;

/**
 * The two ways Aparapi gives arrays to the device. In copy mode, the default, the device has a buffer of its own:
 * what a kernel writes reaches the Java array only through a get, as on a discrete GPU, which is what lets the suite
 * run on PoCL with a GPU's data discipline. The launches need an OpenCL device
 * (skipped, with the reason, without one); the parsing does not.
 */
class BufferModeTest {

    /** auto copies on every device: share mode is unsafe with a moving collector (BufferMode). */
    @Test
    void autoCopiesOnEveryDeviceAndShareIsOptIn() {
        assertEquals(BufferMode.COPY, BufferMode.resolve(null));
        assertEquals(BufferMode.COPY, BufferMode.resolve("auto"));
        assertEquals(BufferMode.COPY, BufferMode.resolve(" "));
        assertEquals(BufferMode.COPY, BufferMode.resolve("Copy"));
        assertEquals(BufferMode.SHARE, BufferMode.resolve("share"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BufferMode.resolve("pinned"));
        assertTrue(e.getMessage().contains("rlhf4j.opencl.buffers=pinned"), e.getMessage());
    }

    /** The suite's kernels take the mode the build asked for (.ci/run runs the OpenCL tests in copy mode too). */
    @Test
    void theSuitesKernelsHaveTheModeThePropertyAsksFor() {
        OpenClKernels k = (OpenClKernels) OpenClSupport.kernels();
        String asked = System.getProperty(org.rlhf4j.kernels.Backends.OPENCL_BUFFERS_PROPERTY);
        assertEquals(BufferMode.resolve(asked).label(), k.bufferMode(), "-Drlhf4j.opencl.buffers=" + asked);
    }

    @Test
    void inCopyModeTheKernelsWritesReachTheJavaArrayOnlyThroughAGet() {
        OpenClSupport.kernels();
        float[] out = run(BufferMode.COPY, false);
        for (float v : out) {
            assertEquals(0f, v, "copy mode: the output is on the device only, until it is fetched");
        }
        float[] fetched = run(BufferMode.COPY, true);
        assertEquals(gelu(1.5f), fetched[3], 1e-6f, "after the get");
    }

    /** GELU over 0, 0.5, 1, 1.5, ... on a fresh device object; {@code fetch}: with the get after the launch. */
    private static float[] run(BufferMode mode, boolean fetch) {
        Launcher dev = new Launcher(OpenClDevices.choose(), mode);
        GeluKernel k = new GeluKernel();
        dev.prepare(k);
        int n = 100;
        float[] in = new float[n], out = new float[n], none = new float[1];
        for (int i = 0; i < n; i++) {
            in[i] = 0.5f * i;
        }
        k.in = in;
        k.out = out;
        k.dinp = none;
        k.dout = none;
        k.n = n;
        k.mode = GeluKernel.FORWARD;
        dev.put(k, in);
        dev.launch(k, dev.range(n));
        if (fetch) {
            dev.get(k, out);
        }
        k.dispose();
        return out;
    }

    private static float gelu(float x) {
        double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1 + Math.tanh(u)));
    }
}
