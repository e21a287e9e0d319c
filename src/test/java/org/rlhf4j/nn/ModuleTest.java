package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/** Registration order, full names, modes and zeroGrad of {@link Module}. */
class ModuleTest {

    /** Two linears and a norm, registered out of alphabetical order. */
    static final class Toy extends Module {
        final Linear second;
        final LayerNorm norm;
        final Linear first;

        Toy() {
            Generator gen = new Generator(1);
            second = child("second", new Linear(3, 4, true, 0.1f, gen));
            norm = child("norm", new LayerNorm(4, false, 1e-5f));
            first = child("first", new Linear(4, 2, false, 0.1f, gen));
        }
    }

    @Test
    void namesJoinThePathInRegistrationOrder() {
        Toy toy = new Toy();
        assertEquals(List.of("second.weight", "second.bias", "norm.weight", "first.weight"),
                List.copyOf(toy.namedParameters().keySet()));
        assertEquals(List.of("", "second", "norm", "first"), List.copyOf(toy.namedModules().keySet()));
        assertSame(toy.first.weight, toy.namedParameters().get("first.weight"));
        assertEquals(3 * 4 + 4 + 4 + 4 * 2, toy.parameterCount());
        assertTrue(toy.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void aNameCannotBeRegisteredTwice() {
        class Twice extends Module {
            Twice() {
                parameter("w", Tensor.zeros(1));
                child("w", new LayerNorm(1, true, 1e-5f));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Twice::new);
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void modeReachesEveryDescendant() {
        Toy toy = new Toy();
        assertTrue(toy.isTraining() && toy.first.isTraining());
        toy.eval();
        assertFalse(toy.isTraining() || toy.second.isTraining() || toy.norm.isTraining());
        toy.train(true);
        assertTrue(toy.norm.isTraining());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Toy toy = new Toy();
        Tensor y = toy.first.forward(toy.norm.forward(toy.second.forward(Tensor.ones(2, 3))));
        y.sum().backward();
        assertTrue(toy.parameters().stream().allMatch(p -> p.grad() != null));
        toy.zeroGrad();
        for (Tensor p : toy.parameters()) {
            for (float g : p.grad().toArray()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void linearIsAPlainProductWithTheWeightStoredInOut() {
        Linear l = new Linear(2, 3, true, 0.1f, new Generator(2));
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, l.weight.data(), l.weight.offset(), 6); // (in 2, out 3)
        System.arraycopy(new float[] {10, 20, 30}, 0, l.bias.data(), l.bias.offset(), 3);
        Tensor y = l.forward(Tensor.of(new float[] {1, -1}, 1, 2));
        assertArrayEquals(new float[] {1 - 4 + 10, 2 - 5 + 20, 3 - 6 + 30}, y.toArray());
    }
}
