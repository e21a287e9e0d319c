package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;
import static org.rlhf4j.tensor.Autograd.record;

import org.rlhf4j.kernels.Unary;

/**
 * Sum, mean and max over one axis or over all elements. The input is viewed as (outer, n, inner)
 * with n the reduced axis, which is how the kernels take it.
 */
final class ReduceOps {

    private ReduceOps() {
    }

    /** {@code y[o,i] = sum_j x[o,j,i]}; backward {@code dx[o,j,i] += dy[o,i]}. */
    static Tensor sum(Tensor x, int axis, boolean keepdim) {
        int ax = x.shape.axis(axis, "sum");
        return sum(x, x.shape.sizeBetween(0, ax), x.shape.dim(ax), x.shape.sizeBetween(ax + 1, x.rank()),
                keepdim ? x.shape.with(ax, 1) : x.shape.without(ax));
    }

    /** The sum of every element, as a rank-0 tensor (0 for an empty tensor). */
    static Tensor sumAll(Tensor x) {
        return sum(x, 1, x.size(), 1, Shape.scalar());
    }

    private static Tensor sum(Tensor x, int outer, int n, int inner, Shape outShape) {
        Tensor out = Tensor.zeros(outShape);
        k().sumAxis(out.data, 0, x.data, x.offset, outer, n, inner);
        return record(Op.SUM, out, () -> k().sumAxisBackward(x.gradBuffer(), 0, out.grad, 0, outer, n, inner), x);
    }

    /** {@code y[o,i] = (1/n) sum_j x[o,j,i]}; backward {@code dx[o,j,i] += dy[o,i] / n}. NaN when n = 0. */
    static Tensor mean(Tensor x, int axis, boolean keepdim) {
        int ax = x.shape.axis(axis, "mean");
        return mean(x, x.shape.sizeBetween(0, ax), x.shape.dim(ax), x.shape.sizeBetween(ax + 1, x.rank()),
                keepdim ? x.shape.with(ax, 1) : x.shape.without(ax));
    }

    /** The mean of every element, as a rank-0 tensor (NaN for an empty tensor, as numpy and PyTorch). */
    static Tensor meanAll(Tensor x) {
        return mean(x, 1, x.size(), 1, Shape.scalar());
    }

    private static Tensor mean(Tensor x, int outer, int n, int inner, Shape outShape) {
        Tensor out = Tensor.zeros(outShape);
        int m = out.size();
        float invN = 1f / n;
        float[] sums = new float[m]; // kernels are not promised to work in place
        k().sumAxis(sums, 0, x.data, x.offset, outer, n, inner);
        k().unary(Unary.SCALE, invN, 0f, out.data, 0, sums, 0, m);
        return record(Op.MEAN, out, () -> {
            float[] scaled = new float[m];
            k().unary(Unary.SCALE, invN, 0f, scaled, 0, out.grad, 0, m);
            k().sumAxisBackward(x.gradBuffer(), 0, scaled, 0, outer, n, inner);
        }, x);
    }

    /**
     * {@code y[o,i] = max_j x[o,j,i]}; backward sends {@code dy[o,i]} to the first j reaching the max
     * (the subgradient at ties, as the kernel's argmax). An empty axis has no max and throws.
     */
    static Tensor max(Tensor x, int axis, boolean keepdim) {
        int ax = x.shape.axis(axis, "max");
        return max(x, x.shape.sizeBetween(0, ax), x.shape.dim(ax), x.shape.sizeBetween(ax + 1, x.rank()),
                keepdim ? x.shape.with(ax, 1) : x.shape.without(ax));
    }

    /** The largest element, as a rank-0 tensor. */
    static Tensor maxAll(Tensor x) {
        return max(x, 1, x.size(), 1, Shape.scalar());
    }

    private static Tensor max(Tensor x, int outer, int n, int inner, Shape outShape) {
        if (n == 0) {
            throw new ShapeMismatchException("max", x.shape, "has no maximum over an empty axis");
        }
        Tensor out = Tensor.zeros(outShape);
        int[] argmax = new int[out.size()];
        k().maxAxis(out.data, 0, argmax, 0, x.data, x.offset, outer, n, inner);
        return record(Op.MAX, out, () ->
                k().maxAxisBackward(x.gradBuffer(), 0, out.grad, 0, argmax, 0, outer, n, inner), x);
    }
}
