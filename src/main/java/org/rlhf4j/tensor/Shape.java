package org.rlhf4j.tensor;

import java.util.Arrays;

/**
 * The immutable dimensions of a row-major tensor: its rank, size and strides, and numpy's broadcasting
 * rules. A rank-0 shape {@code []} is a scalar of size 1; a dimension may be 0 (an empty tensor). A shape
 * of more than 2^31 - 1 elements is refused with a {@link TensorAllocationException}: no Java array holds it.
 */
public final class Shape {

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = TensorLimits.elements("shape", dims); // overflow-checked; negative dims refused
        if (n > Integer.MAX_VALUE) {
            throw new TensorAllocationException("shape " + Arrays.toString(dims), n, Integer.MAX_VALUE,
                    "a tensor holds at most 2^31 - 1 elements (one Java array)");
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** The shape with these dimensions (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /** Dimension {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return dims[axis(axis, "dim")];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** The axis in {@code [0, rank)} that {@code axis} names (negative counts from the end). */
    public int axis(int axis, String op) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeMismatchException(op, this, "has no axis " + axis);
        }
        return a;
    }

    /** Row-major strides in elements: the last dimension has stride 1. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= dims[d];
        }
        return s;
    }

    /** Product of the dimensions in {@code [from, to)}. */
    public int sizeBetween(int from, int to) {
        int n = 1;
        for (int d = from; d < to; d++) {
            n *= dims[d];
        }
        return n;
    }

    /** This shape with dimension {@code axis} replaced by {@code value}. */
    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis] = value;
        return new Shape(d);
    }

    /** This shape without dimension {@code axis}. */
    public Shape without(int axis) {
        int[] d = new int[dims.length - 1];
        System.arraycopy(dims, 0, d, 0, axis);
        System.arraycopy(dims, axis + 1, d, axis, dims.length - axis - 1);
        return new Shape(d);
    }

    /** This shape with a new dimension of size 1 inserted before {@code axis} ({@code 0..rank}). */
    public Shape inserting(int axis) {
        int[] d = new int[dims.length + 1];
        System.arraycopy(dims, 0, d, 0, axis);
        d[axis] = 1;
        System.arraycopy(dims, axis, d, axis + 1, dims.length - axis);
        return new Shape(d);
    }

    /**
     * numpy broadcasting: align the shapes at their last dimension; each pair of dimensions must be
     * equal or one of them 1, and the result takes the larger (a missing leading dimension counts as 1).
     *
     * @throws ShapeMismatchException naming {@code op} and both shapes
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int da = i <= a.rank() ? a.dims[a.rank() - i] : 1;
            int db = i <= b.rank() ? b.dims[b.rank() - i] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ShapeMismatchException(op, a, b, "cannot broadcast: dim " + (-i) + " is " + da + " vs " + db);
            }
            out[rank - i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * The strides that read this (contiguous) shape as if it had been broadcast to {@code target}:
     * the row-major stride on matching dimensions, 0 on dimensions that are 1 here (or missing).
     * The same strides, used as output strides, sum a gradient of shape {@code target} back to this one.
     *
     * @throws ShapeMismatchException when this shape does not broadcast to {@code target}
     */
    public int[] broadcastStrides(Shape target, String op) {
        if (rank() > target.rank()) {
            throw new ShapeMismatchException(op, this, target, "cannot broadcast a rank " + rank()
                    + " shape to rank " + target.rank());
        }
        int[] own = strides();
        int[] s = new int[target.rank()];
        int shift = target.rank() - rank();
        for (int d = 0; d < rank(); d++) {
            int t = target.dims[d + shift];
            if (dims[d] == t) {
                s[d + shift] = t == 1 ? 0 : own[d];
            } else if (dims[d] == 1) {
                s[d + shift] = 0;
            } else {
                throw new ShapeMismatchException(op, this, target, "cannot broadcast: dim " + (d - rank())
                        + " is " + dims[d] + " vs " + t);
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Like {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
