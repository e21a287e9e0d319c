package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rlhf4j.kernels.Tolerance.SUBNORMAL;
import static org.rlhf4j.kernels.Tolerance.U;
import static org.rlhf4j.kernels.Tolerance.assertClose;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The OpenCL kernels agree with the scalar reference on awkward shapes (0, 1, the tile width 16 +-1,
 * primes, a few hundred) and values, op by op, within error bounds derived as in
 * {@link KernelsProperties}. Skipped, with the reason, where no OpenCL device exists.
 *
 * <p>Matmul: each output is a length-K dot product summed in increasing k as in the reference, but an
 * OpenCL compiler may contract {@code acc + a*b} into an fma, which rounds once where the reference
 * rounds twice; the recursive-sum bound covers any such mix: |diff| <= 2 K U sum_k |a_ik b_kj|.
 * Where that sum passes float's range (MIXED values reach 1e30 squared) an intermediate may overflow
 * on one side only (an fma does not round its product to inf), so such elements are not compared.
 */
class OpenClKernelsProperties {

    private static final Kernels SCALAR = new ScalarKernels(Parallel.sequential());

    @Provide
    Arbitrary<Integer> dims() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 97, 129),
                Arbitraries.integers().between(0, 200));
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.of(1, 1, 2, 3);
    }

    @Property(tries = 60)
    void matmulAgrees(@ForAll("batches") int batch, @ForAll("dims") int M, @ForAll("dims") int K, @ForAll("dims") int N,
                      @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean shareB, @ForAll boolean accumulate,
                      @ForAll("finite") Values values, @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        float[] a = values.fill(seed, batch * M * K + 3);
        float[] b = values.fill(seed + 1, (shareB ? 1 : batch) * K * N + 1);
        float[] out0 = Values.normal(seed + 2, batch * M * N + 2);
        float[] ref = out0.clone(), act = out0.clone();
        SCALAR.matmul(ref, 2, a, 3, b, 1, batch, M, K, N, transA, transB, shareB, accumulate);
        ocl.matmul(act, 2, a, 3, b, 1, batch, M, K, N, transA, transB, shareB, accumulate);
        assertEquals(Float.floatToIntBits(out0[0]), Float.floatToIntBits(act[0]), "outside the window: untouched");
        for (int bt = 0; bt < batch; bt++) {
            int ao = 3 + bt * M * K, bo = 1 + (shareB ? 0 : bt * K * N);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double abs = 0;
                    for (int k = 0; k < K; k++) {
                        float aik = transA ? a[ao + k * M + i] : a[ao + i * K + k];
                        float bkj = transB ? b[bo + j * K + k] : b[bo + k * N + j];
                        abs += Math.abs((double) aik * bkj);
                    }
                    int o = 2 + bt * M * N + i * N + j;
                    if (abs + Math.abs(out0[o]) > Float.MAX_VALUE / 2) {
                        continue; // overflow depends on where the roundings fall: no bound to check
                    }
                    double bound = 2.0 * K * U * abs + (accumulate ? 2 * U * (Math.abs(out0[o]) + Math.abs(ref[o])) : 0);
                    assertClose("matmul b" + bt + " (" + i + "," + j + ") " + M + "x" + K + "x" + N
                            + (transA ? " tA" : "") + (transB ? " tB" : ""), o, ref[o], act[o], bound + SUBNORMAL);
                }
            }
        }
    }

    @Provide
    Arbitrary<Values> finite() {
        return Arbitraries.of(Values.class).filter(Values::finite);
    }

    /** The products above really ran on an OpenCL device, not on Aparapi's Java thread pool. */
    @Test
    void matmulRunsOnTheOpenClDevice() {
        Kernels ocl = OpenClSupport.kernels();
        assertEquals("opencl", ocl.name());
        org.rlhf4j.kernels.opencl.OpenClKernels k = (org.rlhf4j.kernels.opencl.OpenClKernels) ocl;
        long before = k.transfers().snapshot().launches();
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = new float[4];
        k.matmul(c, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false); // throws if Aparapi fell back to Java
        assertEquals(before + 1, k.transfers().snapshot().launches());
        assertTrue(java.util.Arrays.equals(new float[] {58, 64, 139, 154}, c), java.util.Arrays.toString(c));
        assertTrue(k.ranOnOpenCl(), "the last launch ran on " + k.deviceDescription());
    }
}
