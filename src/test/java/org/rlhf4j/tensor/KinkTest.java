package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * At kinks finite differences are meaningless, so the gradient checks avoid them; here each kink is
 * pinned to its documented subgradient instead (the same choices as PyTorch).
 */
class KinkTest {

    private static float[] gradOf(java.util.function.UnaryOperator<Tensor> f, float... x) {
        Tensor t = Tensor.vector(x).requiresGrad(true);
        f.apply(t).sum().backward();
        return t.grad().toArray();
    }

    @Test
    void reluAndAbsHaveSubgradientZeroAtZero() {
        assertArrayEquals(new float[] {0f, 0f, 1f}, gradOf(Tensor::relu, -1f, 0f, 2f));
        assertArrayEquals(new float[] {-1f, 0f, 1f}, gradOf(Tensor::abs, -1f, 0f, 2f));
    }

    @Test
    void clampPassesTheGradientOnItsBoundsInclusive() {
        assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 0f}, gradOf(t -> t.clamp(-1f, 1f), -2f, -1f, 0f, 1f, 2f));
    }

    @Test
    void maxOverAnAxisSendsTheGradientToTheFirstMaximum() {
        assertArrayEquals(new float[] {0f, 1f, 0f, 0f}, gradOf(Tensor::max, 1f, 3f, 3f, 3f));
        Tensor x = Tensor.of(new float[] {5f, 2f, 5f, 2f}, 2, 2).requiresGrad(true);
        x.max(0, false).sum().backward(); // columns tie: row 0 wins
        assertArrayEquals(new float[] {1f, 1f, 0f, 0f}, x.grad().toArray());
    }

    @Test
    void elementwiseMinimumAndMaximumSendTiesToTheLeftOperand() {
        Tensor a = Tensor.vector(1f, 2f, 3f).requiresGrad(true), b = Tensor.vector(1f, 5f, 0f).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertArrayEquals(new float[] {1f, 0f, 1f}, a.grad().toArray());
        assertArrayEquals(new float[] {0f, 1f, 0f}, b.grad().toArray());
        a.zeroGrad();
        b.zeroGrad();
        a.minimum(b).sum().backward();
        assertArrayEquals(new float[] {1f, 1f, 0f}, a.grad().toArray());
        assertArrayEquals(new float[] {0f, 0f, 1f}, b.grad().toArray());
    }

    @Test
    void powTakesTheExponentGradientAsZeroWhereTheBaseIsNotPositive() {
        Tensor a = Tensor.vector(0f, -2f, 2f).requiresGrad(true), b = Tensor.vector(2f, 2f, 2f).requiresGrad(true);
        a.pow(b).sum().backward();
        assertArrayEquals(new float[] {0f, -4f, 4f}, a.grad().toArray()); // b a^(b-1)
        assertArrayEquals(new float[] {0f, 0f, (float) (4 * Math.log(2))}, b.grad().toArray(), 1e-6f);
    }
}
