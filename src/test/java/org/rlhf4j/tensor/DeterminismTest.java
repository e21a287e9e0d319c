package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * The tape adds no nondeterminism of its own: a small network's loss and every gradient are bit-identical
 * with 1 and 2 kernel threads (the kernels split only independent outputs), on each kernel family.
 */
class DeterminismTest {

    /** loss and gradients (as raw bits) of a 2-layer MLP with layer norm and cross-entropy. */
    private static int[] run() {
        Generator gen = new Generator(7);
        Tensor x = Tensor.randn(gen, 4, 16, 64).requiresGrad(true);                 // (B, T, C)
        Tensor w1 = Tensor.randn(gen, 64, 128).scale(0.1f).detach().requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, 128, 50).scale(0.1f).detach().requiresGrad(true);
        Tensor g = Tensor.ones(64).requiresGrad(true), b = Tensor.zeros(64).requiresGrad(true);
        int[] targets = new int[64];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (i * 7) % 50;
        }
        Tensor h = x.layerNorm(g, b, 1e-5f).matmul(w1).gelu().dropout(0.1f, 99, true);  // (B, T, 128)
        Tensor logits = h.matmul(w2).reshape(64, 50);                                 // (B*T, V)
        Tensor loss = logits.crossEntropy(targets, -1).add(logits.softmax().max().scale(0.1f));
        loss.backward();
        float[][] parts = {{loss.item()}, x.grad().toArray(), w1.grad().toArray(), w2.grad().toArray(),
                g.grad().toArray(), b.grad().toArray()};
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        int[] bits = new int[n];
        int k = 0;
        for (float[] p : parts) {
            for (float v : p) {
                bits[k++] = Float.floatToRawIntBits(v);
            }
        }
        return bits;
    }

    private static int[] runOn(String backend, int threads) {
        Kernels before = Backends.current();
        try (Parallel p = Parallel.ofThreads(threads)) {
            Backends.use(Backends.create(backend, p));
            return run();
        } finally {
            Backends.use(before);
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        for (String backend : Backends.simdAvailable() ? new String[] {"scalar", "simd"} : new String[] {"scalar"}) {
            assertArrayEquals(runOn(backend, 1), runOn(backend, 2), backend);
        }
    }
}
