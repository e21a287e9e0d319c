package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.tensor.check.GradCheck;

/**
 * Every {@link Op}: the tape's float gradient against central finite differences in double precision
 * on the independent {@link DoubleRef}, and the forward against the same reference, with
 * {@link GradCheck.Tolerance#FLOAT} (PyTorch's atol 1e-5, rtol 1e-3; justified in GradCheck's comment).
 * Shapes are generated with rank 0 to 4 and dims 0 to 4, size 1 often (broadcasting), 0 sometimes (empty
 * tensors, where the op allows them); each case also asserts that its op really was recorded.
 */
class GradCheckProperties {

    @Provide
    Arbitrary<int[]> dims() {
        Arbitrary<Integer> dim = Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(5, 1), Tuple.of(4, 2),
                Tuple.of(4, 3), Tuple.of(2, 4));
        return dim.array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.of(Op.class);
    }

    @Property(tries = 3000)
    void tapeMatchesDoubleFiniteDifferences(@ForAll("ops") Op op, @ForAll("dims") int[] dims, @ForAll long seed) {
        check(op, dims, seed);
    }

    /** Deterministic sweep: every constant, a few shapes each, whatever jqwik happens to draw. */
    @Example
    void everyOpPassesOnFixedShapes() {
        int[][] shapes = {{}, {1}, {3}, {2, 3}, {3, 1, 2}, {2, 0}};
        for (Op op : Op.values()) {
            for (int s = 0; s < shapes.length; s++) {
                check(op, shapes[s], 1000L * op.ordinal() + s);
            }
        }
    }

    /** The same sweep on each kernel family, with two threads, so the tape is not tied to one backend. */
    @Example
    void everyOpPassesOnEveryBackend() {
        Kernels before = Backends.current();
        for (String name : Backends.simdAvailable() ? new String[] {"scalar", "simd"} : new String[] {"scalar"}) {
            try (Parallel two = Parallel.ofThreads(2)) {
                Backends.use(Backends.create(name, two));
                for (Op op : Op.values()) {
                    check(op, new int[] {3, 2, 4}, op.ordinal());
                }
            } finally {
                Backends.use(before);
            }
        }
    }

    /** An op added to the enum without a case here fails: GradCases throws for it, and this names it. */
    @Example
    void everyOpHasAGradientCheck() {
        Set<Op> missing = EnumSet.noneOf(Op.class);
        for (Op op : Op.values()) {
            try {
                GradCases.build(op, new int[] {2, 3}, new Random(op.ordinal()));
            } catch (AssertionError e) {
                missing.add(op);
            }
        }
        assertEquals(EnumSet.noneOf(Op.class), missing, "ops without a gradient check in GradCases");
    }

    static GradCheck.Report check(Op op, int[] dims, long seed) {
        GradCases.Case c = GradCases.build(op, dims, new Random(seed));
        return GradCheck.check(c.name(), in -> {
            Tensor out = c.tape().apply(in);
            if (DoubleRef.size(dims) > 0 && out.requiresGrad()) {
                assertTrue(Autograd.opsOf(out).contains(op), c.name() + " did not record " + op + ": " + Autograd.opsOf(out));
            }
            return out;
        }, c.reference(), seed, c.inputs());
    }
}
