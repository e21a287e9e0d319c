package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.KvCache;

/** Allocations over the cap, or with an overflowing size, fail with a typed exception before allocating. */
class TensorLimitsTest {

    @AfterEach
    void restore() {
        System.clearProperty(TensorLimits.MAX_ELEMENTS_PROPERTY);
        TensorLimits.restoreDefault();
    }

    @Test
    void aShapeOfTwoToTheFortyFloatsIsRefusedWithItsSize() {
        TensorAllocationException e = assertThrows(TensorAllocationException.class, () -> Tensor.zeros(1 << 20, 1 << 20));
        assertEquals(1L << 40, e.requested());
        assertTrue(e.getMessage().contains("[1048576, 1048576]"), e.getMessage());
    }

    @Test
    void anOverflowingProductOfDimensionsIsRefusedNotWrapped() {
        // 2^30 * 2^30 * 2^30 wraps to 0 in long arithmetic done naively; 2^31 * 2^31 * 4 wraps to 0 in int
        TensorAllocationException e = assertThrows(TensorAllocationException.class,
                () -> Shape.of(1 << 30, 1 << 30, 1 << 30, 1 << 30));
        assertEquals(Long.MAX_VALUE, e.requested());
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        assertThrows(TensorAllocationException.class, () -> Shape.of(65536, 65536, 4)); // int product 0
        assertThrows(IllegalArgumentException.class, () -> Shape.of(3, -1));
    }

    @Test
    void theDefaultCapIsTheHeapInFloatsAndARequestJustOverItThrowsNotOutOfMemory() {
        long cap = TensorLimits.maxElements();
        assertEquals(Math.min(Runtime.getRuntime().maxMemory() / 4, TensorLimits.JAVA_ARRAY_LIMIT), cap);
        int over = (int) Math.min(cap + 1, Integer.MAX_VALUE);
        TensorAllocationException e = assertThrows(TensorAllocationException.class, () -> Tensor.zeros(over));
        assertEquals(over, e.requested());
        assertEquals(cap, e.limit());
    }

    @Test
    void aSetCapAppliesToFactoriesOpOutputsGradientsAndModuleBuffers() {
        Tensor a = Tensor.ones(40, 40).requiresGrad(true); // 1600 elements, made under the default cap
        long previous = TensorLimits.setMaxElements(1000);
        assertEquals(1000, TensorLimits.maxElements());
        assertTrue(previous > 1000);
        Tensor.zeros(1000);
        assertThrows(TensorAllocationException.class, () -> Tensor.zeros(1001));
        assertThrows(TensorAllocationException.class, () -> Tensor.ones(10, 101));
        assertThrows(TensorAllocationException.class, () -> a.exp());            // an op's output
        assertThrows(TensorAllocationException.class, () -> a.sum().backward());  // a's gradient buffer
        assertThrows(TensorAllocationException.class, () -> new KvCache(GptConfig.baby(), 1));
        TensorLimits.restoreDefault();
        assertEquals(1600, a.exp().size());
    }

    @Test
    void theSystemPropertySetsTheCapAndABadValueNamesIt() {
        System.setProperty(TensorLimits.MAX_ELEMENTS_PROPERTY, "500");
        TensorLimits.restoreDefault();
        assertEquals(500, TensorLimits.maxElements());
        assertThrows(TensorAllocationException.class, () -> Tensor.zeros(501));
        System.setProperty(TensorLimits.MAX_ELEMENTS_PROPERTY, "lots");
        TensorLimits.restoreDefault();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TensorLimits::maxElements);
        assertTrue(e.getMessage().contains(TensorLimits.MAX_ELEMENTS_PROPERTY), e.getMessage());
    }
}
