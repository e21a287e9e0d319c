package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.OpenClSupport;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * A put is left out only where the array arrives in new buffers, which Aparapi fills from it. Run in copy mode,
 * where the device has buffers of its own (as on a discrete GPU), so that a put wrongly left out leaves a stale
 * buffer and a wrong product: each step changes an operand in place first. Skipped, with the reason, without an
 * OpenCL device.
 */
class SkippedPutsTest {

    @Test
    void aPutIsLeftOutOnlyWhereEveryFieldHoldingTheArrayHeldAnotherAtTheLastLaunch() {
        OpenClSupport.kernels();
        try (Parallel p = Parallel.sequential()) {
            OpenClKernels k = new OpenClKernels(p, OpenClDevices.choose(), OpenClHead.MAX_GROUPS, BufferMode.COPY);
            float[] x = {1, 2, 3, 4}, y = {5, 6, 7, 8};

            // 1. the first launch: every buffer is new, so neither operand is put
            TransferStats.Snapshot s = product(k, x, y, new float[] {19, 22, 43, 50});
            assertEquals(0, s.puts(), s.toString());
            assertEquals(2, s.skipped(), s.toString());

            // 2. the same arrays in the same fields, x changed in place: x must go up again, and so must y
            x[0] = 2;
            s = product(k, x, y, new float[] {24, 28, 43, 50});
            assertEquals(2, s.puts(), s.toString());
            assertEquals(0, s.skipped(), s.toString());

            // 3. swapped fields: both are bound anew, so both buffers are new and filled from the arrays
            y[3] = 9;
            s = product(k, y, x, new float[] {28, 34, 41, 50});
            assertEquals(0, s.puts(), s.toString());
            assertEquals(2, s.skipped(), s.toString());

            // 4. y as both operands: Aparapi's put would reach one field only, so the right one gets a copy of y,
            //    bound anew; the left field held y at the last launch, so y goes up
            y[0] = 1;
            s = product(k, y, y, new float[] {43, 60, 70, 123});
            assertEquals(1, s.puts(), s.toString());
            assertEquals(1, s.skipped(), s.toString());

            // 5. again, y changed in place: a fresh copy again, and y's put
            y[1] = 2;
            s = product(k, y, y, new float[] {15, 20, 70, 95});
            assertEquals(1, s.puts(), s.toString());
            assertEquals(1, s.skipped(), s.toString());
        }
    }

    /**
     * One array as two inputs of another op (a layer norm's weight and bias at two offsets of one parameter array),
     * changed in place between calls, still gives the reference's result: such calls go to the CPU kernels.
     */
    @Test
    void oneArrayAsTwoInputsIsReadAfreshAfterItChangesInPlace() {
        OpenClSupport.kernels();
        try (Parallel p = Parallel.sequential()) {
            OpenClKernels k = new OpenClKernels(p, OpenClDevices.choose(), OpenClHead.MAX_GROUPS, BufferMode.COPY);
            Kernels ref = new ScalarKernels(p);
            int N = 3, C = 4;
            float[] x = new float[N * C], params = new float[2 * C];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 7 % 5) - 2f;
            }
            for (int round = 0; round < 3; round++) {
                for (int c = 0; c < 2 * C; c++) {
                    params[c] = 0.5f + c + round; // changed in place each round
                }
                float[] out = new float[N * C], mean = new float[N], rstd = new float[N];
                float[] want = new float[N * C], wantMean = new float[N], wantRstd = new float[N];
                k.layerNormForward(out, 0, mean, 0, rstd, 0, x, 0, params, 0, params, C, N, C, 1e-5f);
                ref.layerNormForward(want, 0, wantMean, 0, wantRstd, 0, x, 0, params, 0, params, C, N, C, 1e-5f);
                assertArrayEquals(want, out, 1e-4f, "round " + round);
            }
        }
    }

    /**
     * After a failed launch (here: a kernel whose OpenCL does not compile, so that Aparapi's execute throws), what the
     * kernel's buffers hold is unknown, so a put is not left out even for an array bound anew.
     */
    @Test
    void afterAFailedLaunchNoPutIsLeftOut() {
        OpenClSupport.kernels();
        Launcher dev = new Launcher(OpenClDevices.choose(), BufferMode.COPY);
        Untranslatable k = new Untranslatable();
        dev.prepare(k);
        k.x = new float[64];
        org.junit.jupiter.api.Assertions.assertThrows(org.rlhf4j.kernels.BackendUnavailableException.class,
                () -> dev.launch(k, dev.range(64)));
        k.x = new float[64]; // bound anew: would be left out after a launch that ran
        TransferStats.Snapshot before = dev.stats.snapshot();
        dev.put(k, k.x);
        TransferStats.Snapshot d = dev.stats.snapshot().minus(before);
        assertEquals(1, d.puts(), d.toString());
        assertEquals(0, d.skipped(), d.toString());
        k.dispose();
    }

    /** A kernel Aparapi cannot turn into OpenCL: it allocates an array. */
    static final class Untranslatable extends com.aparapi.Kernel {
        float[] x;

        @Override
        public void run() {
            int i = getGlobalId();
            float[] t = new float[i + 1];
            t[i] = i;
            x[i] = t[i];
        }
    }

    /** out = a · b for 2×2 matrices, checked against {@code want}; the counts of the call. */
    private static TransferStats.Snapshot product(OpenClKernels k, float[] a, float[] b, float[] want) {
        TransferStats.Snapshot before = k.transfers().snapshot();
        float[] out = new float[4];
        k.matmul(out, 0, a, 0, b, 0, 1, 2, 2, 2, false, false, false, false);
        assertArrayEquals(want, out, 0f);
        return k.transfers().snapshot().minus(before);
    }
}
