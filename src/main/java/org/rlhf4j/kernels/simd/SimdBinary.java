package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.scalar.ScalarMath;

/**
 * Broadcasting binary ops on vectors. The shape is first coalesced: neighbouring dimensions that
 * every operand walks contiguously become one, so (B, T, C) + (B, T, C) is a single row of B*T*C
 * and (N, C) + (C) is N rows of C. The fast path then needs each operand's last stride to be 1
 * (contiguous) or 0 (one value broadcast along the row); anything else, and POW, goes to the
 * reference. All six vector ops are single IEEE operations, so the result is bit-identical to it.
 */
final class SimdBinary {

    private SimdBinary() {
    }

    /**
     * out = a op b over shape, or false (nothing written) when there is no fast path for these
     * strides and op, so the caller runs the reference.
     */
    static boolean binary(Parallel parallel, Binary op, float[] out, int outOff, float[] a, int aOff, int[] aStrides,
                          float[] b, int bOff, int[] bStrides, int[] shape) {
        if (op == Binary.POW || aStrides.length != shape.length || bStrides.length != shape.length) {
            return false;
        }
        // 1. coalesce, last dimension first: dims[k], sa[k], sb[k] for k < rank
        int[] dims = new int[shape.length + 1], sa = new int[shape.length + 1], sb = new int[shape.length + 1];
        int rank = 0;
        long size = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            int n = shape[d];
            if (n < 0) {
                return false; // the reference names the bad shape
            }
            size *= n;
            if (n == 1) {
                continue; // a size-1 dimension moves no pointer
            }
            int k = rank - 1;
            if (k >= 0 && aStrides[d] == sa[k] * dims[k] && bStrides[d] == sb[k] * dims[k]) {
                dims[k] *= n; // contiguous across d for both operands: merge into the dimension below
            } else {
                dims[rank] = n;
                sa[rank] = aStrides[d];
                sb[rank] = bStrides[d];
                rank++;
            }
        }
        if (size > Integer.MAX_VALUE) {
            return false;
        }
        if (size == 0) {
            return true;
        }
        if (rank == 0) { // a single element
            dims[0] = 1;
            sa[0] = 0;
            sb[0] = 0;
            rank = 1;
        }
        int last = dims[0], lastA = sa[0], lastB = sb[0];
        if (lastA > 1 || lastA < 0 || lastB > 1 || lastB < 0 || (lastA == 0 && lastB == 0 && last > 1)) {
            return false;
        }
        int rows = (int) (size / last), outerRank = rank;
        // 2. rows of the last (coalesced) dimension, split over threads
        parallel.forRange(rows, Lanes.rowGrain(last), (from, to) -> {
            float[] broadcast = lastA == 0 || lastB == 0 ? new float[last] : null;
            for (int r = from; r < to; r++) {
                int ia = aOff, ib = bOff, rem = r;
                for (int k = 1; k < outerRank; k++) { // row index in mixed radix over the outer dims
                    int idx = rem % dims[k];
                    rem /= dims[k];
                    ia += idx * sa[k];
                    ib += idx * sb[k];
                }
                float[] av = a, bv = b;
                if (lastA == 0) { // one value along the row: spread it so both operands are contiguous
                    java.util.Arrays.fill(broadcast, a[ia]);
                    av = broadcast;
                    ia = 0;
                } else if (lastB == 0) {
                    java.util.Arrays.fill(broadcast, b[ib]);
                    bv = broadcast;
                    ib = 0;
                }
                row(op, out, outOff + r * last, av, ia, bv, ib, last);
            }
        });
        return true;
    }

    /** out[o + j] = a[ia + j] op b[ib + j] for j < n. */
    private static void row(Binary op, float[] out, int o, float[] a, int ia, float[] b, int ib, int n) {
        int j = 0, bound = F.loopBound(n);
        switch (op) {
            case ADD:
                for (; j < bound; j += L) load(a, ia + j).add(load(b, ib + j)).intoArray(out, o + j);
                break;
            case SUB:
                for (; j < bound; j += L) load(a, ia + j).sub(load(b, ib + j)).intoArray(out, o + j);
                break;
            case MUL:
                for (; j < bound; j += L) load(a, ia + j).mul(load(b, ib + j)).intoArray(out, o + j);
                break;
            case DIV:
                for (; j < bound; j += L) load(a, ia + j).div(load(b, ib + j)).intoArray(out, o + j);
                break;
            case MIN: // a <= b || isNaN(a) ? a : b, exactly the reference's choice (not Math.min's)
                for (; j < bound; j += L) {
                    FloatVector x = load(a, ia + j), y = load(b, ib + j);
                    y.blend(x, x.compare(VectorOperators.LE, y).or(x.test(VectorOperators.IS_NAN))).intoArray(out, o + j);
                }
                break;
            case MAX:
                for (; j < bound; j += L) {
                    FloatVector x = load(a, ia + j), y = load(b, ib + j);
                    y.blend(x, x.compare(VectorOperators.GE, y).or(x.test(VectorOperators.IS_NAN))).intoArray(out, o + j);
                }
                break;
            default:
                throw new AssertionError(op);
        }
        for (; j < n; j++) {
            out[o + j] = ScalarMath.binary(op, a[ia + j], b[ib + j]);
        }
    }

    private static FloatVector load(float[] a, int off) {
        return FloatVector.fromArray(F, a, off);
    }
}
