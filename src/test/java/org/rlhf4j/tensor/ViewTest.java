package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What each view returns, which ones share storage, and where their gradients go. */
class ViewTest {

    private static final float[] SIX = {0f, 1f, 2f, 3f, 4f, 5f};

    @Test
    void reshapeSharesStorageAndInfersMinusOne() {
        Tensor x = Tensor.of(SIX, 2, 3);
        Tensor r = x.reshape(3, -1);
        assertSame(x.data(), r.data());
        assertArrayEquals(new int[] {3, 2}, r.dims());
        assertArrayEquals(new int[] {1, 6}, x.view(1, 6).dims());
        assertArrayEquals(new int[] {2, 1, 3}, x.unsqueeze(1).dims());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).dims());
        assertArrayEquals(new int[] {2, 3}, x.unsqueeze(0).squeeze(0).dims());
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 5).reshape(-1).dims());
    }

    @Test
    void transposeAndPermuteCopyTheRightElements() {
        Tensor x = Tensor.of(SIX, 2, 3);
        Tensor t = x.transpose(0, 1);
        assertNotSame(x.data(), t.data());
        assertArrayEquals(new float[] {0f, 3f, 1f, 4f, 2f, 5f}, t.toArray());
        Tensor p = Tensor.of(new float[24], 2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.dims());
        assertEquals(4f, x.get(1, 1));
        assertEquals(4f, t.get(1, 1));
    }

    @Test
    void narrowSharesWhenContiguousAndCopiesOtherwise() {
        Tensor x = Tensor.of(SIX, 3, 2);
        Tensor rows = x.narrow(0, 1, 2);
        assertSame(x.data(), rows.data());
        assertEquals(2, rows.offset());
        assertArrayEquals(new float[] {2f, 3f, 4f, 5f}, rows.toArray());
        Tensor col = x.narrow(1, 1, 1);
        assertNotSame(x.data(), col.data());
        assertArrayEquals(new float[] {1f, 3f, 5f}, col.toArray());
        assertArrayEquals(new float[] {2f, 3f}, x.slice(0, 1, 2).toArray());
    }

    @Test
    void gradientsOfViewsLandOnTheRightElements() {
        Tensor x = Tensor.of(SIX, 2, 3).requiresGrad(true);
        Tensor w = Tensor.of(new float[] {10f, 20f}, 2, 1);
        // column 2 of x, weighted by w: only x[0,2] and x[1,2] get gradient (10 and 20)
        x.narrow(1, 2, 1).mul(w).sum().backward();
        assertArrayEquals(new float[] {0f, 0f, 10f, 0f, 0f, 20f}, x.grad().toArray());
        x.zeroGrad();
        x.transpose(0, 1).mul(Tensor.of(SIX, 3, 2)).sum().backward(); // d/dx[i,j] = SIX at (j,i) of a (3,2)
        assertArrayEquals(new float[] {0f, 2f, 4f, 1f, 3f, 5f}, x.grad().toArray());
        x.zeroGrad();
        x.reshape(6).narrow(0, 4, 2).sum().backward(); // zero-copy view of a zero-copy view
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 1f, 1f}, x.grad().toArray());
    }

    @Test
    void concatAndSplitAreInverse() {
        Tensor x = Tensor.of(SIX, 2, 3);
        List<Tensor> parts = x.split(1, 1, 2);
        assertArrayEquals(new float[] {0f, 3f}, parts.get(0).toArray());
        assertArrayEquals(new float[] {1f, 2f, 4f, 5f}, parts.get(1).toArray());
        assertArrayEquals(SIX, Tensor.concat(1, parts.get(0), parts.get(1)).toArray());
        assertArrayEquals(new int[] {4, 3}, Tensor.concat(0, x, x).dims());
        assertArrayEquals(new float[] {0f, 1f, 2f, 0f, 1f, 2f, 3f, 4f, 5f, 3f, 4f, 5f}, Tensor.concat(1, x, x).toArray());
    }

    @Test
    void concatGradientsGoBackToEachPart() {
        Tensor a = Tensor.of(new float[] {1f, 2f}, 2, 1).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3f, 4f, 5f, 6f}, 2, 2).requiresGrad(true);
        Tensor.concat(1, a, b).mul(Tensor.of(SIX, 2, 3)).sum().backward();
        assertArrayEquals(new float[] {0f, 3f}, a.grad().toArray());
        assertArrayEquals(new float[] {1f, 2f, 4f, 5f}, b.grad().toArray());
    }

    @Test
    void expandRepeatsAndItsGradientSums() {
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2, 1).requiresGrad(true);
        Tensor e = x.expand(2, 3);
        assertArrayEquals(new float[] {1f, 1f, 1f, 2f, 2f, 2f}, e.toArray());
        assertArrayEquals(new int[] {4, 2, 3}, x.broadcastTo(Shape.of(4, 2, 3)).dims());
        e.mul(Tensor.of(SIX, 2, 3)).sum().backward();
        assertArrayEquals(new float[] {3f, 12f}, x.grad().toArray());
    }
}
