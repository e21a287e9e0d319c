package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;
import static org.rlhf4j.tensor.Autograd.record;

import org.rlhf4j.kernels.Binary;

/**
 * Elementwise ops: binary with numpy broadcasting, unary, where / maskedFill, dropout. The derivative
 * of each elementwise function is in the kernels (ScalarMath is the definition); the code here
 * routes it, and for a broadcast operand sums the gradient back over the broadcast dimensions.
 */
final class ElementwiseOps {

    private static final float[] ZERO = {0f};

    private ElementwiseOps() {
    }

    /**
     * {@code out = a op b}, a and b broadcast to a common shape S. Backward, for x in {a, b}:
     * {@code dx += reduce_to_shape(x)( dout * d(a op b)/dx )}, where reduce sums over the dimensions
     * x was broadcast along (accumulateStrided with stride 0 there). The partials:
     * add 1, 1; sub 1, -1; mul b, a; div 1/b, -a/b^2; pow b a^(b-1), a^b ln a (0 where a <= 0);
     * minimum/maximum 1 to the selected operand (to a on ties).
     */
    static Tensor binary(Op op, Tensor a, Tensor b) {
        Shape s = Shape.broadcast(op.label(), a.shape, b.shape);
        int[] as = a.shape.broadcastStrides(s, op.label()), bs = b.shape.broadcastStrides(s, op.label());
        int[] dims = s.dims();
        Tensor out = Tensor.zeros(s);
        k().binary(op.binary(), out.data, 0, a.data, a.offset, as, b.data, b.offset, bs, dims);
        return record(op, out, () -> {
            if (op == Op.ADD) { // both partials are 1: dout itself is reduced into each gradient
                if (b.requiresGrad) {
                    accumulate(b, bs, out.grad, dims, false); // a may still need dout
                }
                if (a.requiresGrad) {
                    accumulate(a, as, out.grad, dims, true);  // dout is dropped after this
                }
                return;
            }
            float[] tmp = new float[s.size()];
            if (a.requiresGrad) {
                k().binaryBackward(op.binary(), true, tmp, 0, out.grad, 0, a.data, a.offset, as, b.data, b.offset, bs, dims);
                k().accumulateStrided(a.gradBuffer(), 0, as, tmp, 0, dims);
            }
            if (b.requiresGrad) {
                k().binaryBackward(op.binary(), false, tmp, 0, out.grad, 0, a.data, a.offset, as, b.data, b.offset, bs, dims);
                k().accumulateStrided(b.gradBuffer(), 0, bs, tmp, 0, dims);
            }
        }, a, b);
    }

    /**
     * {@code dx += reduce_to_shape(x)(g)}: when x has the output's shape, a plain sum (x may adopt g
     * when {@code mayTake}, see Tensor#accumulateGrad); otherwise a strided sum over the broadcast axes.
     */
    private static void accumulate(Tensor x, int[] xStrides, float[] g, int[] dims, boolean mayTake) {
        if (x.size() == g.length) { // no broadcast axis of size > 1: the same elements in the same order
            x.accumulateGrad(g, mayTake);
        } else {
            k().accumulateStrided(x.gradBuffer(), 0, xStrides, g, 0, dims);
        }
    }

    /** {@code out = f(x; p, q)}; backward {@code dx += dout * f'(x)} (the kernel reads x and out). */
    static Tensor unary(Op op, Tensor x, float p, float q) {
        Tensor out = Tensor.zeros(x.shape);
        k().unary(op.unary(), p, q, out.data, 0, x.data, x.offset, x.size());
        return record(op, out, () ->
                k().unaryBackward(op.unary(), p, q, x.gradBuffer(), 0, out.grad, 0, x.data, x.offset, out.data, 0, x.size()),
                x);
    }

    /** {@code min(max(x, lo), hi)}; the gradient passes where {@code lo <= x <= hi} (PyTorch's choice). */
    static Tensor clamp(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo " + lo + " must be <= hi " + hi);
        }
        return unary(Op.CLAMP, x, lo, hi);
    }

    /**
     * {@code out = cond != 0 ? a : b}, all three broadcast to one shape. Backward:
     * {@code da += reduce(where(cond, dout, 0))}, {@code db += reduce(where(cond, 0, dout))}.
     */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Shape ca = Shape.broadcast("where", cond.shape, a.shape);
        Shape s = Shape.broadcast("where", ca, b.shape);
        int[] cs = cond.shape.broadcastStrides(s, "where"), as = a.shape.broadcastStrides(s, "where");
        int[] bs = b.shape.broadcastStrides(s, "where"), os = s.strides(), zs = new int[s.rank()];
        int[] dims = s.dims();
        Tensor out = Tensor.zeros(s);
        k().where(out.data, 0, cond.data, cond.offset, cs, a.data, a.offset, as, b.data, b.offset, bs, dims);
        return record(Op.WHERE, out, () -> {
            float[] tmp = new float[s.size()];
            if (a.requiresGrad) {
                k().where(tmp, 0, cond.data, cond.offset, cs, out.grad, 0, os, ZERO, 0, zs, dims);
                k().accumulateStrided(a.gradBuffer(), 0, as, tmp, 0, dims);
            }
            if (b.requiresGrad) {
                k().where(tmp, 0, cond.data, cond.offset, cs, ZERO, 0, zs, out.grad, 0, os, dims);
                k().accumulateStrided(b.gradBuffer(), 0, bs, tmp, 0, dims);
            }
        }, a, b);
    }

    /**
     * {@code out = mask != 0 ? value : x} (e.g. the causal mask with value -inf); mask broadcasts to
     * x's shape. Backward: {@code dx += where(mask, 0, dout)}: filled positions get no gradient.
     */
    static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        Shape s = Shape.broadcast("maskedFill", x.shape, mask.shape);
        if (!s.equals(x.shape)) {
            throw new ShapeMismatchException("maskedFill", x.shape, mask.shape, "the mask must broadcast to the input's shape");
        }
        int[] ms = mask.shape.broadcastStrides(s, "maskedFill"), xs = s.strides(), zs = new int[s.rank()];
        int[] dims = s.dims();
        float[] fill = {value};
        Tensor out = Tensor.zeros(s);
        k().where(out.data, 0, mask.data, mask.offset, ms, fill, 0, zs, x.data, x.offset, xs, dims);
        return record(Op.MASKED_FILL, out, () -> {
            float[] tmp = new float[s.size()];
            k().where(tmp, 0, mask.data, mask.offset, ms, ZERO, 0, zs, out.grad, 0, xs, dims);
            k().addScaled(x.gradBuffer(), 0, tmp, 0, 1f, s.size());
        }, x);
    }

    /**
     * Inverted dropout (Srivastava et al. 2014): {@code out = x * m}, {@code m = keep / (1 - p)} with
     * keep drawn from (seed, index). Backward: {@code dx += dout * m}. Not training, or p = 0: returns x.
     */
    static Tensor dropout(Tensor x, float p, long seed, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        int n = x.size();
        float[] mask = new float[n];
        Tensor out = Tensor.zeros(x.shape);
        k().dropoutForward(out.data, 0, mask, 0, x.data, x.offset, n, p, seed);
        return record(Op.DROPOUT, out, () -> {
            int[] st = {1}, dims = {n};
            float[] tmp = new float[n];
            k().binary(Binary.MUL, tmp, 0, out.grad, 0, st, mask, 0, st, dims);
            k().addScaled(x.gradBuffer(), 0, tmp, 0, 1f, n);
        }, x);
    }
}
