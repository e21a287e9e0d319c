package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shapes, numpy broadcasting, and mismatch messages that name the op and both shapes. */
class ShapeTest {

    private static String message(Executable e) {
        return assertThrows(ShapeMismatchException.class, e).getMessage();
    }

    @Test
    void sizeStridesAndAxes() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(24, s.size());
        assertArrayEquals(new int[] {12, 4, 1}, s.strides());
        assertEquals(4, s.dim(-1));
        assertEquals(1, Shape.scalar().size());
        assertEquals(0, Shape.of(3, 0).size());
        assertEquals("[2, 3, 4]", s.toString());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertThrows(TensorAllocationException.class, () -> Shape.of(1 << 16, 1 << 16));
    }

    @Test
    void broadcastingFollowsNumpy() {
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(3, 1), Shape.of(2, 1, 4)));
        assertEquals(Shape.of(3), Shape.broadcast("add", Shape.scalar(), Shape.of(3)));
        assertEquals(Shape.of(0, 3), Shape.broadcast("add", Shape.of(1, 3), Shape.of(0, 1)));
        assertArrayEquals(new int[] {0, 1, 0}, Shape.of(3, 1).broadcastStrides(Shape.of(2, 3, 4), "add"));
    }

    @Test
    void mismatchMessagesNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        assertEquals("matmul: shapes [2, 3] and [4, 5] do not match (inner dims 3 != 4)", message(() -> a.matmul(b)));
        assertEquals("add: shapes [2, 3] and [4, 5] do not match (cannot broadcast: dim -1 is 3 vs 5)",
                message(() -> a.add(b)));
        assertTrue(message(() -> a.mul(Tensor.zeros(2))).startsWith("mul: shapes [2, 3] and [2]"));
        assertTrue(message(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 4)))
                .startsWith("matmul: shapes [2, 2, 3] and [3, 3, 4] do not match (batch dims differ"));
        assertTrue(message(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 4))).startsWith("matmul: shapes [3] and [3, 4]"));
        assertTrue(message(() -> a.layerNorm(Tensor.ones(4), Tensor.zeros(3), 1e-5f))
                .startsWith("layerNorm: shapes [2, 3] and [4] do not match"));
        assertTrue(message(() -> a.crossEntropy(new int[] {0, 1, 2}, -1)).startsWith("crossEntropy: shapes [2, 3] and [3]"));
        assertTrue(message(() -> Tensor.concat(0, a, Tensor.zeros(2, 4))).startsWith("concat: shapes [2, 3] and [2, 4]"));
        assertTrue(message(() -> Tensor.where(Tensor.zeros(2), a, a)).startsWith("where: shapes [2] and [2, 3]"));
        assertTrue(message(() -> a.maskedFill(Tensor.zeros(4, 2, 3), 0f)).startsWith("maskedFill: shapes [2, 3] and [4, 2, 3]"));
        assertTrue(message(() -> a.reshape(4, 2)).startsWith("reshape: shapes [2, 3] and [4, 2] do not match"));
        assertTrue(message(() -> a.expand(3, 3)).startsWith("expand: shapes [2, 3] and [3, 3]"));
        assertTrue(message(() -> a.sum(2, false)).startsWith("sum: shape [2, 3] has no axis 2"));
        assertTrue(message(() -> a.squeeze(0)).startsWith("squeeze: shape [2, 3] has size 2"));
        assertTrue(message(() -> a.narrow(1, 2, 2)).startsWith("narrow: shape [2, 3] has no range [2, 4)"));
        assertTrue(message(() -> a.max().max(0, false)).startsWith("max: shape [] has no axis 0"));
        assertTrue(message(() -> Tensor.zeros(2, 0).max(1, false)).startsWith("max: shape [2, 0] has no maximum"));
        assertTrue(message(() -> a.permute(0, 0)).startsWith("permute: shape [2, 3] cannot be permuted by [0, 0]"));
        assertTrue(message(() -> Tensor.zeros(3).embedding(new int[] {0})).startsWith("embedding: shape [3]"));
        assertTrue(message(() -> a.exp().backward()).startsWith("backward: shape [2, 3] is not a scalar"));
    }
}
