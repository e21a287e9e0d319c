package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * {@code causalSoftmax(offset)} is the attention's fused mask + softmax: it must give exactly the bits of
 * {@code maskedFill(future, -inf).softmax()}, forward and backward, on every kernel family and thread
 * count, so that fusing changed no loss curve (docs/training.md's figures stay reproducible).
 */
class CausalSoftmaxProperties {

    @Property(tries = 200)
    void sameBitsAsMaskedFillThenSoftmax(@ForAll @IntRange(min = 1, max = 5) int mats,
                                         @ForAll @IntRange(min = 1, max = 40) int rows,
                                         @ForAll @IntRange(min = 1, max = 45) int cols,
                                         @ForAll @IntRange(min = 0, max = 6) int offset,
                                         @ForAll @IntRange(min = 0, max = 3) int backend, @ForAll long seed) {
        // cols below rows + offset cuts the late rows short (a KV-cache step attends to L0 + Tn = cols keys)
        Generator g = new Generator(seed);
        float[] x = new float[mats * rows * cols], dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (4 * g.nextGaussian());
            dy[i] = (float) g.nextGaussian();
        }
        float[] mask = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = offset + i + 1; j < cols; j++) {
                mask[i * cols + j] = 1f;
            }
        }
        Kernels before = Backends.current();
        String name = backend % 2 == 0 || !Backends.simdAvailable() ? "scalar" : "simd";
        try (Parallel p = backend < 2 ? Parallel.sequential() : Parallel.ofThreads(2)) {
            Backends.use(Backends.create(name, p));
            Tensor a = Tensor.of(x.clone(), mats, rows, cols).requiresGrad(true);
            Tensor ya = a.maskedFill(Tensor.of(mask, rows, cols), Float.NEGATIVE_INFINITY).softmax();
            ya.mul(Tensor.of(dy, mats, rows, cols)).sum().backward();
            Tensor b = Tensor.of(x.clone(), mats, rows, cols).requiresGrad(true);
            Tensor yb = b.causalSoftmax(offset);
            yb.mul(Tensor.of(dy, mats, rows, cols)).sum().backward();
            assertArrayEquals(ya.data(), yb.data(), 0f, name + " forward");
            assertArrayEquals(a.grad().data(), b.grad().data(), 0f, name + " backward");
        } finally {
            Backends.use(before);
        }
    }

    @Example
    void refusesWhatItCannotMask() {
        assertThrows(ShapeMismatchException.class, () -> Tensor.of(new float[3], 3).causalSoftmax(0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[4], 2, 2).causalSoftmax(-1));
    }
}
