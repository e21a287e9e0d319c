package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.rlhf4j.kernels.Parallel;

/**
 * The softmax family over rows: softmax, log-softmax and fused cross-entropy, forward and backward.
 * One row per task, never split; every row sum runs in index order (one vector accumulator, lanes
 * added in order, then the tail), so the thread count changes no bit. Stable as the reference:
 * exponentials of x - max(x) only.
 */
final class SimdSoftmax {

    private SimdSoftmax() {
    }

    /**
     * out[j] = e^(x[j] - m) for j < n, returning their sum. Every entry goes through a vector lane, the
     * last partial vector masked (no scalar tail): lane l sums the entries j = l mod L in order, then the
     * lanes are summed in order. So the sum of a row is the same whatever follows it: entries at n and
     * beyond that are -inf add exact zeros to their lanes, which makes causalSoftmaxForward on n entries
     * give the bits of this on the masked row, and a row's softmax independent of the padding after it.
     */
    private static float expShifted(float[] out, int oo, float[] x, int xo, float m, int n) {
        int j = 0, bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (; j < bound; j += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, xo + j).sub(FloatVector.broadcast(F, m)));
            e.intoArray(out, oo + j);
            acc = acc.add(e);
        }
        if (j < n) {
            VectorMask<Float> tail = F.indexInRange(j, n);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, xo + j, tail).sub(FloatVector.broadcast(F, m)));
            e = FloatVector.zero(F).blend(e, tail); // the lanes past n add nothing
            e.intoArray(out, oo + j, tail);
            acc = acc.add(e);
        }
        return Lanes.sum(acc);
    }

    /** sum_j e^(x[j] - m), nothing stored. */
    private static float sumExpShifted(float[] x, int xo, float m, int n) {
        int j = 0, bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (; j < bound; j += L) {
            acc = acc.add(VectorMath.exp(FloatVector.fromArray(F, x, xo + j).sub(FloatVector.broadcast(F, m))));
        }
        float s = Lanes.sum(acc);
        for (; j < n; j++) {
            s += (float) Math.exp(x[xo + j] - m);
        }
        return s;
    }

    /** log sum_j e^x[j] = m + log sum_j e^(x[j] - m); -inf for an empty or all -inf row. */
    private static float logSumExp(float[] x, int xo, int n) {
        float m = Lanes.max(x, xo, n);
        if (m == Float.NEGATIVE_INFINITY) {
            return m;
        }
        return m + (float) Math.log(sumExpShifted(x, xo, m, n));
    }

    /** x[j] *= c for j < n. */
    private static void scale(float[] x, int xo, float c, int n) {
        int j = 0, bound = F.loopBound(n);
        for (; j < bound; j += L) {
            FloatVector.fromArray(F, x, xo + j).mul(FloatVector.broadcast(F, c)).intoArray(x, xo + j);
        }
        for (; j < n; j++) {
            x[xo + j] *= c;
        }
    }

    static void softmaxForward(Parallel parallel, float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        parallel.forRange(rows, Lanes.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ii = inpOff + r * cols, oo = outOff + r * cols;
                float m = Lanes.max(inp, ii, cols);
                if (m == Float.NEGATIVE_INFINITY) { // fully masked row: zeros, as the reference
                    java.util.Arrays.fill(out, oo, oo + cols, 0f);
                    continue;
                }
                float s = expShifted(out, oo, inp, ii, m, cols);
                scale(out, oo, 1f / s, cols);
            }
        });
    }

    /**
     * Kernels.causalSoftmaxForward: row r of each matrix keeps its first n = min(cols, offset + r + 1)
     * entries. {@link #expShifted} over those n gives softmaxForward's bits on the masked row (the
     * entries past n would add zeros to their lanes), and the result depends on n alone, not on cols:
     * a sequence gets the same attention whatever padding its batch adds. The scale by 1/s covers only
     * the kept entries (the rest are written 0).
     */
    static void causalSoftmaxForward(Parallel parallel, float[] out, int outOff, float[] inp, int inpOff, int mats,
                                     int rows, int cols, int offset) {
        parallel.forRange(mats * rows, Lanes.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ii = inpOff + r * cols, oo = outOff + r * cols, n = Math.min(cols, offset + r % rows + 1);
                if (n <= 0) { // nothing visible: zeros, as a fully masked row
                    java.util.Arrays.fill(out, oo, oo + cols, 0f);
                    continue;
                }
                float m = Lanes.max(inp, ii, n);
                if (m == Float.NEGATIVE_INFINITY) { // every visible entry -inf: zeros, as softmaxForward
                    java.util.Arrays.fill(out, oo, oo + cols, 0f);
                    continue;
                }
                float s = expShifted(out, oo, inp, ii, m, n); // the row's first n entries: see expShifted
                scale(out, oo, 1f / s, n);
                java.util.Arrays.fill(out, oo + n, oo + cols, 0f);
            }
        });
    }

    /** dinp[j] += y[j] (dout[j] - sum_k dout[k] y[k]). */
    static void softmaxBackward(Parallel parallel, float[] dinp, int dinpOff, float[] dout, int doutOff,
                                float[] out, int outOff, int rows, int cols) {
        parallel.forRange(rows, Lanes.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int di = dinpOff + r * cols, dd = doutOff + r * cols, yo = outOff + r * cols;
                float dot = Lanes.dot(dout, dd, out, yo, cols);
                int j = 0, bound = F.loopBound(cols);
                for (; j < bound; j += L) {
                    FloatVector y = FloatVector.fromArray(F, out, yo + j);
                    FloatVector g = FloatVector.fromArray(F, dout, dd + j).sub(FloatVector.broadcast(F, dot));
                    FloatVector.fromArray(F, dinp, di + j).add(y.mul(g)).intoArray(dinp, di + j);
                }
                for (; j < cols; j++) {
                    dinp[di + j] += out[yo + j] * (dout[dd + j] - dot);
                }
            }
        });
    }

    static void logSoftmaxForward(Parallel parallel, float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        parallel.forRange(rows, Lanes.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ii = inpOff + r * cols, oo = outOff + r * cols;
                float lse = logSumExp(inp, ii, cols);
                if (lse == Float.NEGATIVE_INFINITY) { // fully masked row: log 0 everywhere, not NaN
                    java.util.Arrays.fill(out, oo, oo + cols, lse);
                    continue;
                }
                int j = 0, bound = F.loopBound(cols);
                for (; j < bound; j += L) {
                    FloatVector.fromArray(F, inp, ii + j).sub(FloatVector.broadcast(F, lse)).intoArray(out, oo + j);
                }
                for (; j < cols; j++) {
                    out[oo + j] = inp[ii + j] - lse;
                }
            }
        });
    }

    /** dinp[j] += dout[j] - e^out[j] sum_k dout[k]. */
    static void logSoftmaxBackward(Parallel parallel, float[] dinp, int dinpOff, float[] dout, int doutOff,
                                   float[] out, int outOff, int rows, int cols) {
        parallel.forRange(rows, Lanes.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int di = dinpOff + r * cols, dd = doutOff + r * cols, yo = outOff + r * cols;
                float sum = Lanes.sum(dout, dd, cols);
                int j = 0, bound = F.loopBound(cols);
                for (; j < bound; j += L) {
                    FloatVector p = VectorMath.exp(FloatVector.fromArray(F, out, yo + j));
                    FloatVector g = FloatVector.fromArray(F, dout, dd + j).sub(p.mul(FloatVector.broadcast(F, sum)));
                    FloatVector.fromArray(F, dinp, di + j).add(g).intoArray(dinp, di + j);
                }
                for (; j < cols; j++) {
                    dinp[di + j] += dout[dd + j] - (float) Math.exp(out[yo + j]) * sum;
                }
            }
        });
    }

    private static void checkTarget(String op, int t, int r, int V, int ignoreIndex) {
        if (t < 0 || t >= V) {
            throw new IndexOutOfBoundsException(op + ": target " + t + " at row " + r
                    + " is outside [0, " + V + ") and is not the ignore index " + ignoreIndex);
        }
    }

    /** losses[r] = logsumexp(x[r,:]) - x[r, t]: -log softmax(x)[t] without forming the softmax. */
    static void crossEntropyForward(Parallel parallel, float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        parallel.forRange(rows, Lanes.rowGrain(V), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[targetsOff + r];
                if (t == ignoreIndex) {
                    losses[lossesOff + r] = 0f;
                    lse[lseOff + r] = 0f;
                    continue;
                }
                checkTarget("crossEntropy", t, r, V, ignoreIndex);
                int row = logitsOff + r * V;
                float l = logSumExp(logits, row, V);
                lse[lseOff + r] = l;
                losses[lossesOff + r] = l - logits[row + t];
            }
        });
    }

    /** dlogits[r,v] += dlosses[r] (softmax(x[r,:])[v] - [v == t]), softmax from the saved lse. */
    static void crossEntropyBackward(Parallel parallel, float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        parallel.forRange(rows, Lanes.rowGrain(V), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[targetsOff + r];
                if (t == ignoreIndex) {
                    continue;
                }
                checkTarget("crossEntropy backward", t, r, V, ignoreIndex);
                float dl = dlosses[dlossesOff + r], l = lse[lseOff + r];
                int xo = logitsOff + r * V, go = dlogitsOff + r * V;
                float targetGrad = dlogits[go + t]; // redone below with the -1 of the one-hot target
                int v = 0, bound = F.loopBound(V);
                for (; v < bound; v += L) {
                    FloatVector p = VectorMath.exp(FloatVector.fromArray(F, logits, xo + v).sub(FloatVector.broadcast(F, l)));
                    FloatVector.fromArray(F, dlogits, go + v).add(p.mul(FloatVector.broadcast(F, dl))).intoArray(dlogits, go + v);
                }
                for (; v < V; v++) {
                    dlogits[go + v] += dl * (float) Math.exp(logits[xo + v] - l);
                }
                float pt = (float) Math.exp(logits[xo + t] - l);
                dlogits[go + t] = targetGrad + dl * (pt - 1f);
            }
        });
    }
}
