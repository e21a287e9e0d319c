package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.Autograd.k;
import static org.rlhf4j.tensor.Autograd.record;

import java.util.ArrayList;
import java.util.List;

/**
 * Views and copies that move elements without arithmetic. Zero-copy (the output shares the input's
 * array): reshape / view / squeeze / unsqueeze always, narrow when every axis before the narrowed one
 * has size 1. Copying (Kernels.copyStrided): permute / transpose, expand, other narrows, concat.
 * Backward of each is the inverse movement, accumulated: an addScaled for a reshape, an
 * accumulateStrided with the forward's strides for the others.
 */
final class ViewOps {

    private ViewOps() {
    }

    /** Same elements, new dims; one dim may be -1 (inferred). Backward: {@code dx += dout} elementwise. */
    static Tensor reshape(Tensor x, int... dims) {
        int[] d = dims.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1 && infer < 0) {
                infer = i;
            } else if (d[i] < 0) {
                throw new ShapeMismatchException("reshape", x.shape, "cannot take dims " + java.util.Arrays.toString(dims));
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            d[infer] = known == 0 ? -1 : x.size() / known;
        }
        if (infer >= 0 && (d[infer] < 0 || known * d[infer] != x.size())) {
            throw new ShapeMismatchException("reshape", x.shape, "cannot take dims " + java.util.Arrays.toString(dims));
        }
        Shape s = Shape.of(d);
        if (s.size() != x.size()) {
            throw new ShapeMismatchException("reshape", x.shape, s, "sizes " + x.size() + " != " + s.size());
        }
        Tensor out = new Tensor(x.data, x.offset, s);
        // out's gradient is dropped once this runs (Autograd.backward), so x may adopt it
        return record(Op.RESHAPE, out, () -> x.accumulateGrad(out.grad, true), x);
    }

    /** A new axis of size 1 before {@code axis} ({@code -1} appends). */
    static Tensor unsqueeze(Tensor x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        if (a < 0 || a > x.rank()) {
            throw new ShapeMismatchException("unsqueeze", x.shape, "has no insertion point " + axis);
        }
        return reshape(x, x.shape.inserting(a).dims());
    }

    /** Removes {@code axis}, which must have size 1. */
    static Tensor squeeze(Tensor x, int axis) {
        int a = x.shape.axis(axis, "squeeze");
        if (x.shape.dim(a) != 1) {
            throw new ShapeMismatchException("squeeze", x.shape, "has size " + x.shape.dim(a) + " on axis " + axis + ", not 1");
        }
        return reshape(x, x.shape.without(a).dims());
    }

    /**
     * {@code out[i_0..] = x[i_perm...]}: out axis d is x axis perm[d]. Copies, reading x with its
     * strides permuted; backward scatters dout back through the same strides.
     */
    static Tensor permute(Tensor x, int... perm) {
        int r = x.rank();
        boolean[] used = new boolean[r];
        boolean ok = perm.length == r;
        for (int i = 0; ok && i < r; i++) {
            ok = perm[i] >= 0 && perm[i] < r && !used[perm[i]];
            used[ok ? perm[i] : 0] = true;
        }
        if (!ok) {
            throw new ShapeMismatchException("permute", x.shape, "cannot be permuted by " + java.util.Arrays.toString(perm));
        }
        int[] xs = x.shape.strides(), dims = new int[r], strides = new int[r];
        for (int d = 0; d < r; d++) {
            dims[d] = x.shape.dim(perm[d]);
            strides[d] = xs[perm[d]];
        }
        Tensor out = Tensor.zeros(dims);
        k().copyStrided(out.data, 0, x.data, x.offset, strides, dims);
        return record(Op.PERMUTE, out, () -> k().accumulateStrided(x.gradBuffer(), 0, strides, out.grad, 0, dims), x);
    }

    /** Swaps axes a and b (a permute). */
    static Tensor transpose(Tensor x, int a, int b) {
        int p = x.shape.axis(a, "transpose"), q = x.shape.axis(b, "transpose");
        int[] perm = new int[x.rank()];
        for (int d = 0; d < perm.length; d++) {
            perm[d] = d == p ? q : d == q ? p : d;
        }
        return permute(x, perm);
    }

    /**
     * Elements {@code [start, start + length)} of {@code axis}. Backward: dout is added into that
     * window of dx (accumulateStrided with x's strides, from the window's first element).
     */
    static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = x.shape.axis(axis, "narrow");
        if (start < 0 || length < 0 || start + length > x.shape.dim(a)) {
            throw new ShapeMismatchException("narrow", x.shape, "has no range [" + start + ", " + (start + length)
                    + ") on axis " + axis);
        }
        Shape s = x.shape.with(a, length);
        int[] strides = x.shape.strides(), dims = s.dims();
        int base = start * strides[a];
        Tensor out;
        if (x.shape.sizeBetween(0, a) <= 1 && s.size() > 0) {
            out = new Tensor(x.data, x.offset + base, s); // contiguous window: share
        } else {
            out = Tensor.zeros(s);
            k().copyStrided(out.data, 0, x.data, x.offset + base, strides, dims);
        }
        return record(Op.NARROW, out, () -> k().accumulateStrided(x.gradBuffer(), base, strides, out.grad, 0, dims), x);
    }

    /** Consecutive narrows of {@code axis} with the given sizes, which must add up to its length. */
    static List<Tensor> split(Tensor x, int axis, int... sizes) {
        int a = x.shape.axis(axis, "split"), total = 0;
        for (int size : sizes) {
            total += size;
        }
        if (total != x.shape.dim(a)) {
            throw new ShapeMismatchException("split", x.shape, "cannot be split into " + java.util.Arrays.toString(sizes)
                    + " on axis " + axis);
        }
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int size : sizes) {
            parts.add(narrow(x, a, start, size));
            start += size;
        }
        return parts;
    }

    /**
     * Joins tensors along {@code axis}; all other dims must match. Each part is added into its window
     * of a zeroed output (accumulateStrided). Backward: each part's window of dout is gathered
     * (copyStrided) and added to that part's gradient.
     */
    static Tensor concat(int axis, Tensor... given) {
        Tensor[] parts = given.clone(); // the backward closure must not see later changes to the caller's array
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Shape first = parts[0].shape;
        int a = first.axis(axis, "concat"), total = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.rank() || !p.shape.with(a, 0).equals(first.with(a, 0))) {
                throw new ShapeMismatchException("concat", first, p.shape, "dims other than axis " + axis + " differ");
            }
            total += p.shape.dim(a);
        }
        Shape s = first.with(a, total);
        int[] os = s.strides();
        int[] bases = new int[parts.length];
        Tensor out = Tensor.zeros(s);
        for (int i = 0, start = 0; i < parts.length; start += parts[i].shape.dim(a), i++) {
            bases[i] = start * os[a];
            k().accumulateStrided(out.data, bases[i], os, parts[i].data, parts[i].offset, parts[i].dims());
        }
        return record(Op.CONCAT, out, () -> {
            for (int i = 0; i < parts.length; i++) {
                Tensor p = parts[i];
                if (p.requiresGrad) {
                    float[] window = new float[p.size()];
                    k().copyStrided(window, 0, out.grad, bases[i], os, p.dims());
                    k().addScaled(p.gradBuffer(), 0, window, 0, 1f, p.size());
                }
            }
        }, parts);
    }

    /**
     * Broadcasts x to {@code target} (numpy rules), copying with stride 0 on the broadcast axes.
     * Backward: {@code dx += sum of dout over the broadcast axes} (accumulateStrided, same strides).
     */
    static Tensor expand(Tensor x, Shape target) {
        int[] strides = x.shape.broadcastStrides(target, "expand"), dims = target.dims();
        Tensor out = Tensor.zeros(target);
        k().copyStrided(out.data, 0, x.data, x.offset, strides, dims);
        return record(Op.EXPAND, out, () -> k().accumulateStrided(x.gradBuffer(), 0, strides, out.grad, 0, dims), x);
    }
}
