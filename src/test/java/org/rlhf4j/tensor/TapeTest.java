package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TapeTest {

    private static Tensor leaf(float... v) {
        return Tensor.vector(v).requiresGrad(true);
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1f, 2f);
        x.scale(3f).sum().backward();
        x.scale(3f).sum().backward(); // a second graph: the leaf's gradient adds up
        assertArrayEquals(new float[] {6f, 6f}, x.grad().toArray());
        x.zeroGrad();
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray());
    }

    @Test
    void sharedSubexpressionGetsTheSumOfItsPaths() {
        Tensor x = leaf(-1.5f, 0.5f, 2f);
        x.mul(x).add(x).sum().backward(); // d(x^2 + x)/dx = 2x + 1
        assertArrayEquals(new float[] {-2f, 2f, 5f}, x.grad().toArray());
    }

    @Test
    @SuppressWarnings("try")
    void noGradScopeRecordsNothingAndIsPerThread() throws InterruptedException {
        Tensor x = leaf(1f, 2f);
        Tensor y;
        AtomicBoolean otherThreadRecords = new AtomicBoolean();
        try (NoGrad outer = Autograd.noGrad()) {
            try (NoGrad inner = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "scopes nest");
            y = x.exp().sum();
            Thread t = new Thread(() -> otherThreadRecords.set(x.exp().requiresGrad()));
            t.start();
            t.join();
        }
        assertTrue(Autograd.isGradEnabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertTrue(otherThreadRecords.get(), "another thread is not inside this thread's scope");
        assertThrows(IllegalStateException.class, y::backward);
        assertTrue(x.exp().requiresGrad(), "recording resumes after the scope");
    }

    @Test
    void detachStopsTheGradientAndSharesData() {
        Tensor x = leaf(2f, 3f);
        Tensor d = x.detach();
        assertSame(x.data(), d.data());
        assertFalse(d.requiresGrad());
        d.mul(x).sum().backward(); // only the x path counts: d(c * x)/dx = c
        assertArrayEquals(new float[] {2f, 3f}, x.grad().toArray());
    }

    @Test
    void backwardReleasesTheGraph() {
        Tensor x = leaf(1f, 2f);
        Tensor h = x.tanh();
        Tensor loss = h.sum();
        loss.backward();
        IllegalStateException again = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(again.getMessage().contains("released"), again.getMessage());
        // a graph that reuses a released part also refuses, with the op named
        IllegalStateException reuse = assertThrows(IllegalStateException.class, () -> h.mul(h).sum().backward());
        assertTrue(reuse.getMessage().contains("tanh"), reuse.getMessage());
        assertNull(h.grad(), "intermediate gradients are not kept");
        assertTrue(h.node.released());
    }

    @Test
    void deepChainOfOneHundredThousandOpsBackpropagatesWithoutStackOverflow() {
        Tensor x = leaf(0.5f);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.addScalar(1e-6f);
        }
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void gradientOutputMustMatchAndNonScalarsNeedOne() {
        Tensor x = leaf(1f, 2f);
        Tensor y = x.exp();
        assertThrows(ShapeMismatchException.class, y::backward);
        assertThrows(ShapeMismatchException.class, () -> y.backward(Tensor.vector(1f, 2f, 3f)));
        y.backward(Tensor.vector(1f, 0f));
        assertEquals((float) Math.exp(1), x.grad().toArray()[0], 1e-6f);
        assertEquals(0f, x.grad().toArray()[1]);
    }

    @Test
    void onlyLeavesCanBeMarked() {
        Tensor y = leaf(1f).exp();
        assertFalse(y.isLeaf());
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }

    @Test
    void inputsThatDoNotRequireGradGetNoGradient() {
        Tensor x = leaf(1f, 2f);
        Tensor c = Tensor.vector(3f, 4f);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new float[] {3f, 4f}, x.grad().toArray());
    }

    @Test
    void customFunctionGradientOfTheWrongShapeIsRefused() {
        CustomFunction bad = new CustomFunction("bad") {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].scale(2f);
            }

            @Override
            protected Tensor[] backward(Tensor dy, Tensor... in) {
                return new Tensor[] {Tensor.zeros(5)};
            }
        };
        Tensor x = leaf(1f, 2f);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> bad.apply(x).sum().backward());
        assertTrue(e.getMessage().startsWith("bad backward: shapes [2] and [5]"), e.getMessage());
    }

    @Test
    void seededGeneratorsReproduceAndResume() {
        Generator a = new Generator(42);
        Tensor first = Tensor.randn(a, 3, 4);
        long counter = a.counter();
        Tensor second = Tensor.uniform(a, -1f, 1f, 5);
        assertArrayEquals(first.toArray(), Tensor.randn(new Generator(42), 3, 4).toArray());
        assertArrayEquals(second.toArray(), Tensor.uniform(new Generator(42, counter), -1f, 1f, 5).toArray());
        assertFalse(java.util.Arrays.equals(first.toArray(), Tensor.randn(new Generator(43), 3, 4).toArray()));
        for (float v : second.toArray()) {
            assertTrue(v >= -1f && v < 1f);
        }
    }
}
