package org.rlhf4j.micrograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One scalar in double precision that remembers how it was computed, so that {@link #backward()} can
 * apply the chain rule back through the whole expression: reverse-mode automatic differentiation in
 * its smallest form, after Karpathy's micrograd. Chapter one of rlhf4j: the tensor tape in
 * {@code org.rlhf4j.tensor} does exactly this, one array at a time. The tests also use it as an
 * independent double-precision oracle for gradients.
 *
 * <p>Each operation builds its result and, right under it, the closure that pushes the result's
 * gradient back to its inputs. Gradients always accumulate ({@code +=}), because an input used twice
 * (say {@code x * x}) receives a contribution from each use.
 */
public final class Value {

    /** What to do when the gradient of this value is known: push it to the inputs. */
    private interface Backward {
        void run();
    }

    private final double data;
    private double grad;
    private final Value[] children;
    private final String op;
    private Backward backward = () -> { };

    /** A leaf: an input or a parameter. */
    public Value(double data) {
        this(data, "", new Value[0]);
    }

    private Value(double data, String op, Value... children) {
        this.data = data;
        this.op = op;
        this.children = children;
    }

    public double data() {
        return data;
    }

    /** d(output)/d(this) after {@link #backward()}; 0 before. */
    public double grad() {
        return grad;
    }

    /** The operation that made this value ("" for a leaf). */
    public String op() {
        return op;
    }

    /** Sets the gradient back to 0, for a leaf reused in another backward pass. */
    public void zeroGrad() {
        grad = 0;
    }

    public Value add(Value other) {
        Value out = new Value(data + other.data, "+", this, other);
        out.backward = () -> {          // d(a+b)/da = 1, d(a+b)/db = 1
            this.grad += out.grad;
            other.grad += out.grad;
        };
        return out;
    }

    public Value add(double c) {
        return add(new Value(c));
    }

    public Value mul(Value other) {
        Value out = new Value(data * other.data, "*", this, other);
        out.backward = () -> {          // d(ab)/da = b, d(ab)/db = a
            this.grad += other.data * out.grad;
            other.grad += this.data * out.grad;
        };
        return out;
    }

    public Value mul(double c) {
        return mul(new Value(c));
    }

    /** this ^ p for a constant exponent p. */
    public Value pow(double p) {
        Value out = new Value(Math.pow(data, p), "^" + p, this);
        out.backward = () -> {          // d(x^p)/dx = p x^(p-1)
            this.grad += p * Math.pow(data, p - 1) * out.grad;
        };
        return out;
    }

    public Value neg() {
        return mul(-1);
    }

    public Value sub(Value other) {
        return add(other.neg());
    }

    public Value div(Value other) {
        return mul(other.pow(-1));
    }

    public Value exp() {
        Value out = new Value(Math.exp(data), "exp", this);
        out.backward = () -> {          // d(e^x)/dx = e^x
            this.grad += out.data * out.grad;
        };
        return out;
    }

    public Value log() {
        Value out = new Value(Math.log(data), "log", this);
        out.backward = () -> {          // d(ln x)/dx = 1/x
            this.grad += out.grad / data;
        };
        return out;
    }

    public Value tanh() {
        Value out = new Value(Math.tanh(data), "tanh", this);
        out.backward = () -> {          // d(tanh x)/dx = 1 - tanh^2 x
            this.grad += (1 - out.data * out.data) * out.grad;
        };
        return out;
    }

    public Value relu() {
        Value out = new Value(data > 0 ? data : 0, "relu", this);
        out.backward = () -> {          // subgradient 0 at x = 0
            this.grad += (data > 0 ? 1 : 0) * out.grad;
        };
        return out;
    }

    public Value sigmoid() {
        double s = data >= 0 ? 1 / (1 + Math.exp(-data)) : Math.exp(data) / (1 + Math.exp(data));
        Value out = new Value(s, "sigmoid", this);
        out.backward = () -> {          // d(sigma)/dx = sigma (1 - sigma)
            this.grad += s * (1 - s) * out.grad;
        };
        return out;
    }

    /**
     * Sets this value's gradient to 1 and applies the chain rule to every value it depends on, each
     * after all the values that use it (reverse topological order). Iterative, so long chains do not
     * overflow the stack.
     */
    public void backward() {
        List<Value> order = topologicalOrder();
        grad = 1;
        for (int i = order.size() - 1; i >= 0; i--) {
            order.get(i).backward.run();
        }
    }

    /** Inputs before the values computed from them; this value last. */
    private List<Value> topologicalOrder() {
        List<Value> order = new ArrayList<>();
        Set<Value> visited = new HashSet<>();
        Deque<Value> stack = new ArrayDeque<>();
        Deque<Integer> nextChild = new ArrayDeque<>();
        stack.push(this);
        nextChild.push(0);
        visited.add(this);
        while (!stack.isEmpty()) {
            Value v = stack.peek();
            int i = nextChild.pop();
            if (i < v.children.length) {
                nextChild.push(i + 1);
                Value c = v.children[i];
                if (visited.add(c)) {
                    stack.push(c);
                    nextChild.push(0);
                }
            } else {
                stack.pop();
                order.add(v);   // all of v's inputs are already in the list
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "Value(data=" + data + ", grad=" + grad + ")";
    }
}
