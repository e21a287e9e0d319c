package org.rlhf4j.kernels.simd;

import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The {@link org.rlhf4j.kernels.Kernels} contract on the JDK Vector API ({@code jdk.incubator.vector}).
 * Ops without a vector version are inherited from the scalar reference.
 */
public class SimdKernels extends ScalarKernels {

    public SimdKernels(Parallel parallel) {
        super(parallel);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        SimdMatmul.matmul(parallel(), out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
    }
}
