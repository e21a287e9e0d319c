package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.OpenClSupport;
import org.rlhf4j.kernels.Parallel;

/** auto's routing: products from the crossover on go to the device, smaller ones stay on the CPU. */
class AutoKernelsTest {

    @Test
    void productsFromTheCrossoverOnRunOnTheDevice() {
        OpenClKernels ocl = (OpenClKernels) OpenClSupport.kernels();
        Kernels cpu = Backends.createCpu(Parallel.sequential());
        AutoKernels auto = new AutoKernels(cpu, ocl, 2.0 * 16 * 16 * 16);
        assertEquals("auto", auto.name());
        long before = ocl.transfers().snapshot().launches();
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = new float[4];
        auto.matmul(c, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        assertEquals(before, ocl.transfers().snapshot().launches(), "a 2x3x2 product stays on the CPU");
        float[] x = new float[16 * 16], y = new float[16 * 16], z = new float[16 * 16];
        x[0] = 2;
        y[0] = 3;
        auto.matmul(z, 0, x, 0, y, 0, 1, 16, 16, 16, false, false, false, false);
        assertEquals(6f, z[0]);
        assertEquals(before + 1, ocl.transfers().snapshot().launches(), "a 16x16x16 product runs on the device");
    }

    @Test
    void poclIsRecordedAsNeverFaster() {
        OpenClKernels ocl = (OpenClKernels) OpenClSupport.kernels();
        org.junit.jupiter.api.Assumptions.assumeTrue(ocl.deviceName().startsWith("pthread-"), "a PoCL CPU device");
        assertEquals(Crossover.NEVER, Crossover.forDevice(ocl, Backends.createCpu(Parallel.sequential())));
    }

    /** The calibration itself (what a device missing from the table gets): on PoCL it finds no crossover. */
    @Test
    void calibrationOnPoclFindsNoCrossover() {
        OpenClKernels ocl = (OpenClKernels) OpenClSupport.kernels();
        org.junit.jupiter.api.Assumptions.assumeTrue(ocl.deviceName().startsWith("pthread-"), "a PoCL CPU device");
        try (Parallel p = Parallel.ofThreads(2)) {
            assertEquals(Crossover.NEVER, Crossover.calibrate(ocl, Backends.createCpu(p), new int[] {128, 256}));
        }
    }
}
