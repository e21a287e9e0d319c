package org.rlhf4j.micrograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class ValueTest {

    /** The worked example of micrograd's README, whose printed results pin the chain rule end to end. */
    @Test
    void microgradReadmeExample() {
        Value a = new Value(-4.0);
        Value b = new Value(2.0);
        Value c = a.add(b);
        Value d = a.mul(b).add(b.pow(3));
        c = c.add(c.add(1));
        c = c.add(new Value(1).add(c).add(a.neg()));
        d = d.add(d.mul(2).add(b.add(a).relu()));
        d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
        Value e = c.sub(d);
        Value f = e.pow(2);
        Value g = f.div(new Value(2.0));
        g = g.add(new Value(10.0).div(f));
        g.backward();
        assertEquals(24.7041, g.data(), 5e-5);
        assertEquals(138.8338, a.grad(), 5e-5);
        assertEquals(645.5773, b.grad(), 5e-5);
    }

    @Test
    void sharedInputAccumulates() {
        Value x = new Value(3.0);
        Value y = x.mul(x).add(x); // dy/dx = 2x + 1 = 7
        y.backward();
        assertEquals(7.0, x.grad(), 0.0);
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Value x = new Value(0.5);
        Value y = x;
        for (int i = 0; i < 200_000; i++) {
            y = y.mul(1.0);
        }
        y.backward();
        assertEquals(1.0, x.grad(), 0.0);
    }

    @Property(tries = 200)
    void everyOpMatchesCentralDifferences(@ForAll @DoubleRange(min = 0.1, max = 3.0) double x) {
        check(x, Value::exp, Math::exp);
        check(x, Value::log, Math::log);
        check(x, Value::tanh, Math::tanh);
        check(x, Value::sigmoid, v -> 1 / (1 + Math.exp(-v)));
        check(x, Value::relu, v -> Math.max(v, 0));
        check(x, v -> v.pow(2.5), v -> Math.pow(v, 2.5));
        check(x, v -> v.mul(v).div(v.add(1.0)).sub(v.neg()), v -> v * v / (v + 1) + v);
    }

    private static void check(double x, UnaryOperator<Value> f, DoubleUnaryOperator reference) {
        Value in = new Value(x);
        Value out = f.apply(in);
        out.backward();
        double h = 1e-6;
        double numeric = (reference.applyAsDouble(x + h) - reference.applyAsDouble(x - h)) / (2 * h);
        assertEquals(reference.applyAsDouble(x), out.data(), 1e-12, "forward");
        assertEquals(numeric, in.grad(), 1e-6 * Math.max(1, Math.abs(numeric)), "gradient at x = " + x);
    }
}
