package org.rlhf4j.tensor;

import java.util.List;

/**
 * A contiguous row-major array of floats with a {@link Shape}: {@code data[offset .. offset + size)}.
 * Tensors are immutable in shape; ops make new tensors and, when an input requires grad, record
 * themselves on the tape ({@link Autograd}). Views that stay contiguous (reshape, squeeze, unsqueeze,
 * a narrow of the outermost non-trivial axis) share {@code data}; permute, transpose, expand, concat
 * and other narrows copy. The ops are implemented in ElementwiseOps, ReduceOps, FusedOps, MatmulOps
 * and ViewOps; the methods here are the public face.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    final Shape shape;
    boolean requiresGrad;
    /** The gradient, contiguous from index 0; null until a backward pass reaches this tensor. */
    float[] grad;
    /** The op that made this tensor; null for a leaf. */
    Node node;

    Tensor(float[] data, int offset, Shape shape) {
        if (offset < 0 || offset + shape.size() > data.length) {
            throw new IllegalArgumentException("shape " + shape + " at offset " + offset + " does not fit in "
                    + data.length + " floats");
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape;
    }

    // --------------------------------------------------------------------------------------------
    // factories
    // --------------------------------------------------------------------------------------------

    /** A new tensor of zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /**
     * A new tensor of zeros.
     *
     * @throws TensorAllocationException when its size is over {@link TensorLimits#maxElements()}
     */
    public static Tensor zeros(Shape shape) {
        if (shape.size() > TensorLimits.maxElements()) { // the message is built only on the way to throwing
            TensorLimits.check("tensor " + shape, shape.size());
        }
        return new Tensor(new float[shape.size()], 0, shape);
    }

    /** A new tensor with every element {@code value}. */
    public static Tensor full(float value, int... dims) {
        Tensor t = zeros(dims);
        Autograd.k().fill(t.data, 0, value, t.size());
        return t;
    }

    /** A new tensor of ones. */
    public static Tensor ones(int... dims) {
        return full(1f, dims);
    }

    /** A tensor holding a copy of {@code values}, with exactly these dims (none: rank 0, one value). */
    public static Tensor of(float[] values, int... dims) {
        return of(values, Shape.of(dims));
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor vector(float... values) {
        return of(values, Shape.of(values.length));
    }

    /** A tensor holding a copy of {@code values}, with the given shape (rank 0 for {@code Shape.scalar()}). */
    public static Tensor of(float[] values, Shape s) {
        if (s.size() != values.length) {
            throw new ShapeMismatchException("of", Shape.of(values.length), s, values.length
                    + " values cannot fill " + s.size() + " elements");
        }
        return new Tensor(values.clone(), 0, s);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, Shape.scalar());
    }

    /**
     * Wraps {@code data[offset ..]} without copying: the tensor and the caller share the array
     * (for the layers above, which keep parameters in flat arrays).
     */
    public static Tensor wrap(float[] data, int offset, Shape shape) {
        return new Tensor(data, offset, shape);
    }

    /** Standard normal samples drawn from {@code gen} (which advances). */
    public static Tensor randn(Generator gen, int... dims) {
        Tensor t = zeros(dims);
        gen.fillGaussian(t.data, 0, t.size());
        return t;
    }

    /** Samples uniform in {@code [lo, hi)} drawn from {@code gen} (which advances). */
    public static Tensor uniform(Generator gen, float lo, float hi, int... dims) {
        Tensor t = zeros(dims);
        gen.fillUniform(t.data, 0, t.size(), lo, hi);
        return t;
    }

    // --------------------------------------------------------------------------------------------
    // storage and shape
    // --------------------------------------------------------------------------------------------

    public Shape shape() { return shape; }
    public int[] dims() { return shape.dims(); }
    public int rank() { return shape.rank(); }
    public int size() { return shape.size(); }
    /** Dimension {@code axis}; negative counts from the end. */
    public int dim(int axis) { return shape.dim(axis); }
    /** The backing array, shared (not copied); the elements are {@code [offset(), offset() + size())}. */
    public float[] data() { return data; }
    public int offset() { return offset; }

    /** A copy of the elements in row-major order. */
    public float[] toArray() {
        return java.util.Arrays.copyOfRange(data, offset, offset + size());
    }

    /** The only element of a size-1 tensor. */
    public float item() {
        if (size() != 1) {
            throw new ShapeMismatchException("item", shape, "has " + size() + " elements, not 1");
        }
        return data[offset];
    }

    /** The element at row-major index {@code (i0, i1, ...)}. */
    public float get(int... index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("get: " + index.length + " indices for shape " + shape);
        }
        int[] strides = shape.strides();
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape.dim(d)) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " on axis " + d + " of " + shape);
            }
            at += index[d] * strides[d];
        }
        return data[at];
    }

    @Override
    public String toString() {
        return "Tensor" + shape + (node != null ? " (" + node.op.label() + ")" : "")
                + (requiresGrad ? " requiresGrad" : "");
    }

    // --------------------------------------------------------------------------------------------
    // gradients
    // --------------------------------------------------------------------------------------------

    public boolean requiresGrad() { return requiresGrad; }

    /** True for a tensor not made by a recorded op (an input or parameter). */
    public boolean isLeaf() { return node == null; }

    /** Marks a leaf as a variable whose gradient backward() accumulates; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only a leaf can be marked; this tensor was made by "
                    + node.op.label() + " (use detach() for a leaf that shares its data)");
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf (shares its array), or null before any backward reached it. */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad, 0, shape);
    }

    /** Sets the gradient to zero (kept allocated). */
    public void zeroGrad() {
        if (grad != null) {
            Autograd.k().fill(grad, 0, 0f, grad.length);
        }
    }

    /** The gradient array, allocated as zeros on first use. */
    float[] gradBuffer() {
        if (grad == null) {
            if (size() > TensorLimits.maxElements()) {
                TensorLimits.check("gradient of " + shape, size());
            }
            grad = new float[size()];
        }
        return grad;
    }

    /**
     * {@code grad += g}, g being a gradient of this tensor's size that its owner no longer needs
     * ({@code mayTake}): when this tensor has no gradient yet, it adopts g itself instead of
     * allocating zeros and adding g to them (the same values, but for the sign of a zero: {@code 0 + -0}
     * is {@code +0}). The caller must not read or write g afterwards.
     */
    void accumulateGrad(float[] g, boolean mayTake) {
        if (grad == null && mayTake && g.length == size()) {
            grad = g;
        } else {
            Autograd.k().addScaled(gradBuffer(), 0, g, 0, 1f, size());
        }
    }

    /** Backpropagates from a size-1 tensor (d self / d self = 1); releases the graph. */
    public void backward() {
        if (size() != 1) {
            throw new ShapeMismatchException("backward", shape, "is not a scalar: pass the output gradient"
                    + " to backward(Tensor)");
        }
        Autograd.backward(this, full(1f, shape.dims()));
    }

    /** Backpropagates {@code gradOutput} (this tensor's shape); releases the graph. */
    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    /** A leaf sharing this tensor's data that is cut off from the tape: no gradient flows through it. */
    public Tensor detach() {
        return new Tensor(data, offset, shape);
    }

    // --------------------------------------------------------------------------------------------
    // ops (see the *Ops classes for the forward and backward code)
    // --------------------------------------------------------------------------------------------

    public Tensor add(Tensor o) { return ElementwiseOps.binary(Op.ADD, this, o); }
    public Tensor sub(Tensor o) { return ElementwiseOps.binary(Op.SUB, this, o); }
    public Tensor mul(Tensor o) { return ElementwiseOps.binary(Op.MUL, this, o); }
    public Tensor div(Tensor o) { return ElementwiseOps.binary(Op.DIV, this, o); }
    /** Elementwise min; on ties the gradient goes to this. */
    public Tensor minimum(Tensor o) { return ElementwiseOps.binary(Op.MINIMUM, this, o); }
    /** Elementwise max; on ties the gradient goes to this. */
    public Tensor maximum(Tensor o) { return ElementwiseOps.binary(Op.MAXIMUM, this, o); }
    /** this ^ o elementwise; d/do is taken as 0 where this &lt;= 0. */
    public Tensor pow(Tensor o) { return ElementwiseOps.binary(Op.POW, this, o); }

    public Tensor neg() { return ElementwiseOps.unary(Op.NEG, this, 0f, 0f); }
    public Tensor exp() { return ElementwiseOps.unary(Op.EXP, this, 0f, 0f); }
    public Tensor log() { return ElementwiseOps.unary(Op.LOG, this, 0f, 0f); }
    public Tensor tanh() { return ElementwiseOps.unary(Op.TANH, this, 0f, 0f); }
    public Tensor sigmoid() { return ElementwiseOps.unary(Op.SIGMOID, this, 0f, 0f); }
    /** max(0, x); subgradient 0 at 0. */
    public Tensor relu() { return ElementwiseOps.unary(Op.RELU, this, 0f, 0f); }
    /** GPT-2's tanh GELU. */
    public Tensor gelu() { return ElementwiseOps.unary(Op.GELU, this, 0f, 0f); }
    public Tensor sqrt() { return ElementwiseOps.unary(Op.SQRT, this, 0f, 0f); }
    /** log sigmoid(x), stable for any x. */
    public Tensor logSigmoid() { return ElementwiseOps.unary(Op.LOG_SIGMOID, this, 0f, 0f); }
    /** |x|; subgradient 0 at 0. */
    public Tensor abs() { return ElementwiseOps.unary(Op.ABS, this, 0f, 0f); }
    public Tensor scale(float s) { return ElementwiseOps.unary(Op.SCALE, this, s, 0f); }
    public Tensor addScalar(float s) { return ElementwiseOps.unary(Op.ADD_SCALAR, this, s, 0f); }
    public Tensor pow(float p) { return ElementwiseOps.unary(Op.POW_SCALAR, this, p, 0f); }
    /** min(max(x, lo), hi); the gradient passes where lo &lt;= x &lt;= hi. */
    public Tensor clamp(float lo, float hi) { return ElementwiseOps.clamp(this, lo, hi); }
    /** this where mask != 0 is replaced by value; mask broadcasts to this shape. */
    public Tensor maskedFill(Tensor mask, float value) { return ElementwiseOps.maskedFill(this, mask, value); }
    /** Inverted dropout with probability p from (seed, index); the identity when not training. */
    public Tensor dropout(float p, long seed, boolean training) { return ElementwiseOps.dropout(this, p, seed, training); }
    /** cond != 0 ? a : b elementwise, all three broadcast; cond gets no gradient. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return ElementwiseOps.where(cond, a, b); }

    /** Sum of all elements (rank 0). */
    public Tensor sum() { return ReduceOps.sumAll(this); }
    public Tensor sum(int axis, boolean keepdim) { return ReduceOps.sum(this, axis, keepdim); }
    /** Mean of all elements (rank 0); NaN for an empty tensor. */
    public Tensor mean() { return ReduceOps.meanAll(this); }
    public Tensor mean(int axis, boolean keepdim) { return ReduceOps.mean(this, axis, keepdim); }
    /** Maximum of all elements (rank 0); the gradient goes to the first maximum. */
    public Tensor max() { return ReduceOps.maxAll(this); }
    public Tensor max(int axis, boolean keepdim) { return ReduceOps.max(this, axis, keepdim); }

    /** Softmax over the last axis. */
    public Tensor softmax() { return FusedOps.softmax(this); }
    /**
     * Causal softmax over the last axis of (..., T, L): row i sees entries 0 .. offset + i (a query at
     * position offset + i), the rest are 0; the same as {@code maskedFill(future, -inf).softmax()}.
     */
    public Tensor causalSoftmax(int offset) { return FusedOps.causalSoftmax(this, offset); }
    /**
     * Causal multi-head self-attention on a fused projection (B, T, 3C), laid out (B, T, 3, heads, C/heads)
     * as GPT-2's c_attn output: per head {@code softmax(q k^T / sqrt(C/heads), causal) v}, heads joined
     * into (B, T, C). One op with a hand-written backward, the same as composing reshape, permute,
     * scale, matmul, causalSoftmax and matmul (bit for bit on each kernel family).
     */
    public Tensor causalAttention(int heads) { return FusedOps.causalAttention(this, heads); }
    /** Log-softmax over the last axis. */
    public Tensor logSoftmax() { return FusedOps.logSoftmax(this); }
    /** Mean cross-entropy of logits (N, V) against targets; see FusedOps#crossEntropy. */
    public Tensor crossEntropy(int[] targets, int ignoreIndex) { return FusedOps.crossEntropy(this, targets, ignoreIndex); }

    /**
     * Mean cross-entropy of the logits {@code this (N, C) · w^T} (w (V, C)) against targets, without making the
     * (N, V) logits; see FusedOps#linearCrossEntropy.
     */
    public Tensor linearCrossEntropy(Tensor w, int[] targets, int ignoreIndex) {
        return FusedOps.linearCrossEntropy(this, w, targets, ignoreIndex);
    }
    /** Layer norm over the last axis with weight and bias of shape (C). */
    public Tensor layerNorm(Tensor weight, Tensor bias, float eps) { return FusedOps.layerNorm(this, weight, bias, eps); }
    /** Rows of this (V, C) table picked by ids: shape (ids.length, C). */
    public Tensor embedding(int[] ids) { return FusedOps.embedding(this, ids, ids.length); }
    /** Rows of this (V, C) table picked by ids laid out as idsDims: shape (idsDims..., C). */
    public Tensor embedding(int[] ids, int... idsDims) { return FusedOps.embedding(this, ids, idsDims); }

    /** Matrix product this · o: 2-D, batched (same batch dims), or batched · 2-D. */
    public Tensor matmul(Tensor o) { return MatmulOps.matmul(this, o, false, false); }
    /** op(this) · op(o) where op transposes the last two axes when its flag is set. */
    public Tensor matmul(Tensor o, boolean transThis, boolean transO) { return MatmulOps.matmul(this, o, transThis, transO); }

    /** Same data, new dims (one may be -1); never copies. */
    public Tensor reshape(int... dims) { return ViewOps.reshape(this, dims); }
    /** Same as reshape: every tensor is contiguous, so every view is zero-copy. */
    public Tensor view(int... dims) { return ViewOps.reshape(this, dims); }
    public Tensor unsqueeze(int axis) { return ViewOps.unsqueeze(this, axis); }
    public Tensor squeeze(int axis) { return ViewOps.squeeze(this, axis); }
    /** Reorders the axes (copies). */
    public Tensor permute(int... perm) { return ViewOps.permute(this, perm); }
    /** Swaps two axes (copies). */
    public Tensor transpose(int a, int b) { return ViewOps.transpose(this, a, b); }
    /** Elements start .. start+length-1 of an axis; zero-copy when every axis before it has size 1. */
    public Tensor narrow(int axis, int start, int length) { return ViewOps.narrow(this, axis, start, length); }
    /** Elements from .. to-1 of an axis (same as narrow). */
    public Tensor slice(int axis, int from, int to) { return ViewOps.narrow(this, axis, from, to - from); }
    /** Pieces along an axis with the given sizes. */
    public List<Tensor> split(int axis, int... sizes) { return ViewOps.split(this, axis, sizes); }
    /** Broadcasts to dims (copies). */
    public Tensor expand(int... dims) { return ViewOps.expand(this, Shape.of(dims)); }
    public Tensor broadcastTo(Shape target) { return ViewOps.expand(this, target); }
    /** Joins tensors along an axis (copies). */
    public static Tensor concat(int axis, Tensor... parts) { return ViewOps.concat(axis, parts); }
}
