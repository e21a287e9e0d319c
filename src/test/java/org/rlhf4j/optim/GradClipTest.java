package org.rlhf4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Tensor;

/** Global-norm clipping returns the pre-clip norm and scales every gradient by one factor. */
@ExtendWith(OwnKernels.class)
class GradClipTest {

    @Test
    void clipsToMaxNormAndReturnsThePreClipNorm() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        AdamWTest.setGrad(a, new float[] {3f, 0f});
        AdamWTest.setGrad(b, new float[] {4f});
        double norm = GradClip.clipGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 0.0, "sqrt(3^2 + 4^2) over both tensors");
        float c = (float) (1.0 / (5.0 + 1e-6));
        assertArrayEquals(new float[] {3f * c, 0f}, a.grad().toArray());
        assertArrayEquals(new float[] {4f * c}, b.grad().toArray());
        assertEquals(1.0, GradClip.globalNorm(List.of(a, b)), 1e-6);
    }

    @Test
    void smallGradientsAndMissingGradientsAreUntouched() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), none = Tensor.zeros(3).requiresGrad(true);
        AdamWTest.setGrad(a, new float[] {0.3f, 0.4f});
        assertEquals(0.5, GradClip.clipGlobalNorm(List.of(a, none), 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.grad().toArray());
    }

    @Test
    void aNonFiniteNormIsReturnedAndNothingIsScaled() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        AdamWTest.setGrad(a, new float[] {Float.NaN, 2f});
        assertTrue(Double.isNaN(GradClip.clipGlobalNorm(List.of(a), 1.0)));
        assertEquals(2f, a.grad().toArray()[1]);
        AdamWTest.setGrad(a, new float[] {Float.POSITIVE_INFINITY, 2f});
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipGlobalNorm(List.of(a), 1.0));
        assertEquals(2f, a.grad().toArray()[1]);
    }
}
