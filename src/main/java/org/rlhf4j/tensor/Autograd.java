package org.rlhf4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;

/**
 * The define-by-run tape. Each op computes its output, then {@link #record}s a {@link Node}: the
 * {@link Op}, its inputs, and a backward closure written right under the forward code that
 * accumulates ({@code +=}) into the inputs' gradients, as micrograd's {@code _backward} does.
 *
 * <p>{@link #backward(Tensor, Tensor)}: 1. order the graph topologically, iteratively (an explicit
 * stack, so a chain of 100k ops cannot overflow the call stack); 2. seed the output's gradient;
 * 3. run each node's closure, outputs before inputs; 4. release each node after its closure ran:
 * intermediate gradients are dropped, leaves keep theirs and accumulate across calls until
 * {@link Tensor#zeroGrad()}. A second backward through a released node throws IllegalStateException.
 */
public final class Autograd {

    private static final Tensor[] NO_PARENTS = new Tensor[0];

    private Autograd() {
    }

    /** Opens a no-grad scope on this thread: ops inside record nothing. Use with try-with-resources. */
    public static NoGrad noGrad() {
        return new NoGrad();
    }

    /**
     * Opens an anomaly-detection scope (process-wide while open): the first NaN or infinity an op writes,
     * forward or backward, throws an {@link AnomalyException} naming the op. Use with try-with-resources.
     */
    public static AnomalyMode detectAnomaly() {
        return new AnomalyMode();
    }

    /** True unless this thread is inside a {@link #noGrad()} scope. */
    public static boolean isGradEnabled() {
        return NoGrad.gradEnabled();
    }

    /** The kernels every op runs on. */
    static Kernels k() {
        return Backends.current();
    }

    /**
     * Attaches {@code backward} to {@code out} when grad is enabled and some parent requires grad;
     * otherwise leaves {@code out} a constant. Returns {@code out}.
     */
    static Tensor record(Op op, Tensor out, Runnable backward, Tensor... parents) {
        if (AnomalyMode.isEnabled()) {
            AnomalyMode.checkForward(op, out, parents);
        }
        if (!isGradEnabled()) {
            return out;
        }
        for (Tensor p : parents) {
            if (p.requiresGrad) {
                out.requiresGrad = true;
                out.node = new Node(op, parents.clone(), backward);
                return out;
            }
        }
        return out;
    }

    /** Backpropagates {@code gradOutput} (same shape as {@code root}) through root's graph. */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    static void backward(Tensor root, Tensor gradOutput) {
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: this tensor does not require grad (no input of the ops"
                    + " that made it requires grad, or it was made inside a no-grad scope)");
        }
        if (!gradOutput.shape.equals(root.shape)) {
            throw new ShapeMismatchException("backward", root.shape, gradOutput.shape,
                    "the output gradient must have the output's shape");
        }
        List<Tensor> order = topologicalOrder(root);
        try (NoGrad ignored = noGrad()) {
            k().addScaled(root.gradBuffer(), 0, gradOutput.data, gradOutput.offset, 1f, root.size());
            boolean anomaly = AnomalyMode.isEnabled();
            if (anomaly) {
                AnomalyMode.checkSeed(root);
            }
            for (int i = order.size() - 1; i >= 0; i--) { // outputs before their inputs
                Tensor t = order.get(i);
                if (t.node == null) {
                    continue; // a leaf: keeps its gradient
                }
                if (t.grad != null) {
                    t.node.runBackward();
                    if (anomaly) {
                        AnomalyMode.checkBackward(t.node.op, t.node.parents());
                    }
                }
                t.node.release();
                t.grad = null; // intermediate gradients are not kept
            }
        }
    }

    /** Every tensor reachable from root through inputs that require grad, each after its inputs. */
    static List<Tensor> topologicalOrder(Tensor root) {
        if (root.node != null && root.node.released()) {
            root.node.parents(); // throws the released-graph message
        }
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<int[]> next = new ArrayDeque<>(); // index of the next parent to visit, per frame
        stack.push(root);
        next.push(new int[1]);
        seen.add(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            Tensor[] parents = t.node == null ? NO_PARENTS : t.node.parents();
            int[] i = next.peek();
            if (i[0] < parents.length) {
                Tensor p = parents[i[0]++];
                if (p.requiresGrad && seen.add(p)) {
                    stack.push(p);
                    next.push(new int[1]);
                }
            } else {
                stack.pop();
                next.pop();
                order.add(t); // post-order: after all its inputs
            }
        }
        return order;
    }

    /** The ops on the live graph behind {@code root}, for tests that check what was recorded. */
    static Set<Op> opsOf(Tensor root) {
        Set<Op> ops = java.util.EnumSet.noneOf(Op.class);
        for (Tensor t : topologicalOrder(root)) {
            if (t.node != null) {
                ops.add(t.node.op);
            }
        }
        return ops;
    }
}
