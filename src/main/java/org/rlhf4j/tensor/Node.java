package org.rlhf4j.tensor;

/**
 * One entry of the tape: the op that made a tensor, its inputs, and the closure that pushes the
 * output's gradient into theirs. {@link Autograd#backward} runs the closure once, then
 * {@link #release()}s the node so that the inputs and saved buffers can be garbage collected.
 */
final class Node {

    final Op op;
    private Tensor[] parents;
    private Runnable backward;
    private boolean released;

    /** A node for {@code op}; {@code backward} accumulates ({@code +=}) into the parents' gradients. */
    Node(Op op, Tensor[] parents, Runnable backward) {
        if (op == null) {
            throw new IllegalArgumentException("every recorded node names its Op");
        }
        this.op = op;
        this.parents = parents;
        this.backward = backward;
    }

    Tensor[] parents() {
        checkLive();
        return parents;
    }

    void runBackward() {
        checkLive();
        backward.run();
    }

    boolean released() {
        return released;
    }

    void release() {
        parents = null;
        backward = null;
        released = true;
    }

    private void checkLive() {
        if (released) {
            throw new IllegalStateException("backward: the graph through this " + op.label() + " node was released by"
                    + " an earlier backward(); run the forward pass again to build a new graph");
        }
    }
}
