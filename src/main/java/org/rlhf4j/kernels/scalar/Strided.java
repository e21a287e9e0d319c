package org.rlhf4j.kernels.scalar;

/**
 * Index arithmetic for strided N-d loops. A contiguous {@code shape} is walked as {@code rows} rows of
 * its last dimension; {@link #rowOffset} gives where row r starts in an operand with other strides.
 */
final class Strided {

    private Strided() {
    }

    /** Number of elements of {@code shape} (1 for rank 0). */
    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " has over 2^31 elements");
        }
        return (int) n;
    }

    /** Length of the last dimension (1 for rank 0). */
    static int lastDim(int[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Stride of the last dimension (0 for rank 0). */
    static int lastStride(int[] strides) {
        return strides.length == 0 ? 0 : strides[strides.length - 1];
    }

    /** Offset of element (row, 0), where row indexes all dimensions but the last, row-major. */
    static int rowOffset(int row, int[] shape, int[] strides) {
        int offset = 0;
        int rem = row;
        for (int d = shape.length - 2; d >= 0; d--) {
            int idx = rem % shape[d];
            rem /= shape[d];
            offset += idx * strides[d];
        }
        return offset;
    }

    /**
     * Walks the row offsets of one strided operand in row order, like an odometer: {@link #next}
     * adds the stride of the innermost row dimension and carries into the outer ones, so a row costs
     * an add or two instead of {@link #rowOffset}'s division per dimension.
     */
    static final class Rows {
        private final int[] shape, strides, index;
        private int offset;

        /** Positioned at row {@code row}: {@link #offset()} is {@code rowOffset(row, shape, strides)}. */
        Rows(int row, int[] shape, int[] strides) {
            this.shape = shape;
            this.strides = strides;
            this.index = new int[Math.max(0, shape.length - 1)];
            int rem = row;
            for (int d = shape.length - 2; d >= 0 && row > 0; d--) { // row 0 (also of an empty shape) is offset 0
                index[d] = rem % shape[d];
                rem /= shape[d];
                offset += index[d] * strides[d];
            }
        }

        /** Offset of the current row's first element. */
        int offset() {
            return offset;
        }

        /** Moves to the next row. */
        void next() {
            for (int d = index.length - 1; d >= 0; d--) {
                offset += strides[d];
                if (++index[d] < shape[d]) {
                    return;
                }
                offset -= shape[d] * strides[d];
                index[d] = 0;
            }
        }
    }

    /** True when {@code strides} are the row-major strides of {@code shape} (size-1 dimensions aside). */
    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Throws unless every strides array has one entry per dimension of shape. */
    static void check(String op, int[] shape, int[]... strides) {
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException(op + ": strides " + java.util.Arrays.toString(s)
                        + " do not match shape " + java.util.Arrays.toString(shape));
            }
        }
    }
}
