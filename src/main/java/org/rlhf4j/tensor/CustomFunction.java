package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;

/**
 * A differentiable function defined by the user, like {@code torch.autograd.Function}: a forward
 * computed from the inputs' values and a backward that maps the output gradient to one gradient per
 * input. {@link #apply} runs the forward outside the tape and records one {@link Op#CUSTOM} node;
 * during backpropagation the returned gradients are added ({@code +=}) into the inputs'.
 *
 * <pre>{@code
 * Tensor y = new CustomFunction("cube") {
 *     protected Tensor forward(Tensor... in) { return in[0].pow(3f); }
 *     protected Tensor[] backward(Tensor dy, Tensor... in) { return new Tensor[] {dy.mul(in[0].pow(2f).scale(3f))}; }
 * }.apply(x);
 * }</pre>
 *
 * Nothing checks that backward is the derivative of forward: that is what a gradient check is for.
 */
public abstract class CustomFunction {

    private final String name;

    /** {@code name} appears in error messages. */
    protected CustomFunction(String name) {
        this.name = name;
    }

    /** The output, computed from the inputs' values (run in a no-grad scope). */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * One gradient per input, each of that input's shape, or null for an input that gets none
     * (run in a no-grad scope).
     */
    protected abstract Tensor[] backward(Tensor gradOutput, Tensor... inputs);

    /** Runs forward and records the node. */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public final Tensor apply(Tensor... inputs) {
        Tensor result;
        try (NoGrad ignored = Autograd.noGrad()) {
            result = forward(inputs);
        }
        Tensor out = new Tensor(result.data, result.offset, result.shape); // a fresh node, even for an identity
        Tensor[] in = inputs.clone();
        return Autograd.record(Op.CUSTOM, out, () -> {
            Tensor[] grads = backward(new Tensor(out.grad, 0, out.shape), in);
            if (grads == null || grads.length != in.length) {
                throw new IllegalStateException(name + ": backward must return one gradient per input (" + in.length + ")");
            }
            for (int i = 0; i < in.length; i++) {
                if (in[i].requiresGrad && grads[i] != null) {
                    if (!grads[i].shape.equals(in[i].shape)) {
                        throw new ShapeMismatchException(name + " backward", in[i].shape, grads[i].shape,
                                "the gradient of input " + i + " must have its shape");
                    }
                    k().addScaled(in[i].gradBuffer(), 0, grads[i].data, grads[i].offset, 1f, in[i].size());
                }
            }
        }, in);
    }
}
