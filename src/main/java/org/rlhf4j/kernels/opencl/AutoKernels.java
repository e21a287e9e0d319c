package org.rlhf4j.kernels.opencl;

import org.rlhf4j.kernels.Kernels;

/**
 * What {@code auto} runs when an OpenCL device was asked for and measured faster for large products
 * ({@link Crossover}): matrix products of at least {@code minFlops} go to the OpenCL kernels, every
 * other call to the CPU kernels. Its name is {@code auto}, so that {@code Backends.create(name())}
 * makes the same choice again.
 */
final class AutoKernels extends DelegatingKernels {

    private final OpenClKernels ocl;
    private final double minFlops;

    AutoKernels(Kernels cpu, OpenClKernels ocl, double minFlops) {
        super(cpu);
        this.ocl = ocl;
        this.minFlops = minFlops;
    }

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int batch, int M, int K, int N,
                       boolean transA, boolean transB, boolean shareB, boolean accumulate) {
        Kernels k = 2.0 * batch * M * K * N >= minFlops ? ocl : cpu;
        k.matmul(out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
    }
}
