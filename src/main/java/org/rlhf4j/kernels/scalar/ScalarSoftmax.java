package org.rlhf4j.kernels.scalar;

import org.rlhf4j.kernels.Parallel;

/**
 * The softmax family of {@link ScalarKernels}, over the last axis of a (rows, cols) array: softmax,
 * log-softmax and the fused softmax cross-entropy, forward and backward. Rows are independent and
 * are split over threads; each row is summed in increasing index order.
 */
final class ScalarSoftmax {

    private ScalarSoftmax() {
    }

    private static int rowGrain(long workPerRow) {
        return ScalarKernels.rowGrain(workPerRow);
    }

    /** max_j x[j] of one row; -inf for an empty row. */
    private static float rowMax(float[] x, int off, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    /** log sum_j exp(x[j]) = m + log sum_j exp(x[j] - m): finite for any finite row. */
    private static float rowLogSumExp(float[] x, int off, int cols) {
        float m = rowMax(x, off, cols);
        if (m == Float.NEGATIVE_INFINITY) {
            return m; // empty or all -inf: sum of exps is 0
        }
        float s = 0f;
        for (int j = 0; j < cols; j++) {
            s += (float) Math.exp(x[off + j] - m);
        }
        return m + (float) Math.log(s);
    }

    static void softmaxForward(Parallel parallel, float[] out, int outOff, float[] inp, int inpOff,
                               int rows, int cols) {
        parallel.forRange(rows, rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ii = inpOff + r * cols, oo = outOff + r * cols;
                float m = rowMax(inp, ii, cols);
                if (m == Float.NEGATIVE_INFINITY) { // every entry masked: no mass anywhere, zeros, not NaN
                    java.util.Arrays.fill(out, oo, oo + cols, 0f);
                    continue;
                }
                float s = 0f;
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(inp[ii + j] - m);
                    out[oo + j] = e;
                    s += e;
                }
                float inv = 1f / s;
                for (int j = 0; j < cols; j++) {
                    out[oo + j] *= inv;
                }
            }
        });
    }

    static void softmaxBackward(Parallel parallel, float[] dinp, int dinpOff, float[] dout, int doutOff,
                                float[] out, int outOff, int rows, int cols) {
        parallel.forRange(rows, rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float dot = 0f; // sum_k dout[k] y[k]
                for (int k = 0; k < cols; k++) {
                    dot += dout[doutOff + o + k] * out[outOff + o + k];
                }
                for (int j = 0; j < cols; j++) {
                    dinp[dinpOff + o + j] += out[outOff + o + j] * (dout[doutOff + o + j] - dot);
                }
            }
        });
    }

    static void logSoftmaxForward(Parallel parallel, float[] out, int outOff, float[] inp, int inpOff,
                                  int rows, int cols) {
        parallel.forRange(rows, rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ii = inpOff + r * cols, oo = outOff + r * cols;
                float lse = rowLogSumExp(inp, ii, cols);
                for (int j = 0; j < cols; j++) {
                    // a fully masked row (lse = -inf) has log-probabilities -inf, not -inf - -inf = NaN
                    out[oo + j] = lse == Float.NEGATIVE_INFINITY ? lse : inp[ii + j] - lse;
                }
            }
        });
    }

    static void logSoftmaxBackward(Parallel parallel, float[] dinp, int dinpOff, float[] dout, int doutOff,
                                   float[] out, int outOff, int rows, int cols) {
        parallel.forRange(rows, rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * cols;
                float sum = 0f; // sum_k dout[k]
                for (int k = 0; k < cols; k++) {
                    sum += dout[doutOff + o + k];
                }
                for (int j = 0; j < cols; j++) {
                    dinp[dinpOff + o + j] += dout[doutOff + o + j] - (float) Math.exp(out[outOff + o + j]) * sum;
                }
            }
        });
    }

    static void crossEntropyForward(Parallel parallel, float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        parallel.forRange(rows, rowGrain(V), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[targetsOff + r];
                if (t == ignoreIndex) {
                    losses[lossesOff + r] = 0f;
                    lse[lseOff + r] = 0f;
                    continue;
                }
                if (t < 0 || t >= V) {
                    throw new IndexOutOfBoundsException("crossEntropy: target " + t + " at row " + r
                            + " is outside [0, " + V + ") and is not the ignore index " + ignoreIndex);
                }
                int row = logitsOff + r * V;
                float l = rowLogSumExp(logits, row, V);
                lse[lseOff + r] = l;
                losses[lossesOff + r] = l - logits[row + t]; // -log softmax(x)[t] = logsumexp(x) - x[t]
            }
        });
    }

    static void crossEntropyBackward(Parallel parallel, float[] dlogits, int dlogitsOff,
                                     float[] dlosses, int dlossesOff, float[] logits, int logitsOff,
                                     float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        parallel.forRange(rows, rowGrain(V), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[targetsOff + r];
                if (t == ignoreIndex) {
                    continue;
                }
                if (t < 0 || t >= V) {
                    throw new IndexOutOfBoundsException("crossEntropy backward: target " + t + " at row " + r
                            + " is outside [0, " + V + ") and is not the ignore index " + ignoreIndex);
                }
                float dl = dlosses[dlossesOff + r], l = lse[lseOff + r];
                int row = r * V;
                for (int v = 0; v < V; v++) {
                    float p = (float) Math.exp(logits[logitsOff + row + v] - l); // softmax(x)[v]
                    dlogits[dlogitsOff + row + v] += dl * (v == t ? p - 1f : p);
                }
            }
        });
    }
}
