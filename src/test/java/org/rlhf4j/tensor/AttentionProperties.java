package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * {@link Tensor#causalAttention} (Kernels.attentionForward / attentionBackward: the default
 * composition, and SimdKernels' fused kernel where the head size is whole vectors) against the
 * attention composed on the tape from reshape, permute, narrow, scale, matmul and causalSoftmax, as
 * CausalSelfAttention builds it when attention dropout is on: the output and the gradient of qkv must
 * be the same bits, on each kernel family, with one thread and with two.
 */
class AttentionProperties {

    @Provide
    Arbitrary<String> families() {
        return Backends.simdAvailable() ? Arbitraries.of("scalar", "simd") : Arbitraries.of("scalar");
    }

    @Provide
    Arbitrary<Integer> headSizes() {
        return Arbitraries.of(1, 3, 8, 16, 24, 32, 64);
    }

    @Property(tries = 150)
    void fusedEqualsComposedBitForBit(@ForAll("families") String family, @ForAll @IntRange(min = 1, max = 2) int threads,
                                      @ForAll @IntRange(min = 1, max = 3) int B, @ForAll @IntRange(min = 1, max = 21) int T,
                                      @ForAll @IntRange(min = 1, max = 3) int NH, @ForAll("headSizes") int HS,
                                      @ForAll long seed) {
        Kernels before = Backends.current();
        try (Parallel pool = Parallel.ofThreads(threads)) {
            Backends.use(Backends.create(family, pool));
            Generator g = new Generator(seed);
            int C = NH * HS;
            float[] x = Tensor.randn(g, B, T, 3 * C).toArray();
            Tensor w = Tensor.randn(g, B, T, C);
            Tensor a = Tensor.of(x.clone(), B, T, 3 * C).requiresGrad(true);
            Tensor b = Tensor.of(x.clone(), B, T, 3 * C).requiresGrad(true);
            Tensor fused = a.causalAttention(NH), composed = composed(b, NH);
            assertSameBits("forward", composed.toArray(), fused.toArray());
            fused.mul(w).sum().backward();
            composed.mul(w).sum().backward();
            assertSameBits("d qkv", b.grad().toArray(), a.grad().toArray());
        } finally {
            Backends.use(before);
        }
    }

    /** The tape's composition: CausalSelfAttention's path with attention dropout on, less the dropout. */
    static Tensor composed(Tensor qkv, int NH) {
        int B = qkv.dim(0), T = qkv.dim(1), C = qkv.dim(2) / 3, HS = C / NH;
        Tensor heads = qkv.reshape(B, T, 3, NH, HS).permute(2, 0, 3, 1, 4);
        Tensor q = heads.narrow(0, 0, 1).reshape(B * NH, T, HS);
        Tensor k = heads.narrow(0, 1, 1).reshape(B * NH, T, HS);
        Tensor v = heads.narrow(0, 2, 1).reshape(B * NH, T, HS);
        Tensor att = q.scale((float) (1.0 / Math.sqrt(HS))).matmul(k, false, true).causalSoftmax(0);
        return att.matmul(v).reshape(B, NH, T, HS).permute(0, 2, 1, 3).reshape(B, T, C);
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + " differs at " + i + ": composed " + expected[i] + ", fused " + actual[i]);
        }
    }
}
