package org.rlhf4j.kernels.scalar;

import org.rlhf4j.kernels.Parallel;

/**
 * The layer norm of {@link ScalarKernels}, over the last axis of (N, C) (Ba, Kiros and Hinton 2016, "Layer
 * Normalization"; the gradient as derived in docs/derivations/layernorm.md). Rows are split over threads forward
 * and for dinp; the parameters' gradients are split over columns, each summing its rows in increasing order.
 */
final class ScalarLayerNorm {

    private ScalarLayerNorm() {
    }

    private static int rowGrain(long workPerRow) {
        return ScalarKernels.rowGrain(workPerRow);
    }

    /** y = (x - mean) * rstd * weight + bias, rstd = 1 / sqrt(biased var + eps); writes mean and rstd per row. */
    static void forward(Parallel parallel, float[] out, int outOff, float[] mean, int meanOff, float[] rstd,
                        int rstdOff, float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                        int N, int C, float eps) {
        parallel.forRange(N, rowGrain(C), (from, to) -> {
            for (int n = from; n < to; n++) {
                int x = inpOff + n * C, o = outOff + n * C;
                // Sums in double: the mean of a constant row is then that constant exactly, so the row
                // normalises to 0 and returns its bias (a float sum of C equal values is rounded).
                double sum = 0.0;
                for (int c = 0; c < C; c++) {
                    sum += inp[x + c];
                }
                float m = (float) (sum / C);
                double squares = 0.0;
                for (int c = 0; c < C; c++) {
                    float d = inp[x + c] - m;
                    squares += (double) d * d;
                }
                float v = (float) (squares / C);                       // biased variance, as PyTorch
                float s = (float) (1.0 / Math.sqrt((double) v + eps)); // rstd
                for (int c = 0; c < C; c++) {
                    float norm = (inp[x + c] - m) * s;
                    out[o + c] = norm * weight[weightOff + c] + bias[biasOff + c];
                }
                mean[meanOff + n] = m;
                rstd[rstdOff + n] = s;
            }
        });
    }

    /** Accumulates dinp, dweight and dbias from dout and the forward's mean and rstd. */
    static void backward(Parallel parallel, float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias,
                         int dbiasOff, float[] dout, int doutOff, float[] inp, int inpOff, float[] weight,
                         int weightOff, float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        // 1. dinp, row by row: dx = rstd * (w dy - mean(w dy) - xhat * mean(w dy xhat))
        parallel.forRange(N, rowGrain(C), (from, to) -> {
            for (int n = from; n < to; n++) {
                int row = n * C;
                float m = mean[meanOff + n], s = rstd[rstdOff + n];
                float dnormMean = 0f, dnormNormMean = 0f;
                for (int c = 0; c < C; c++) {
                    float norm = (inp[inpOff + row + c] - m) * s;
                    float dnorm = weight[weightOff + c] * dout[doutOff + row + c];
                    dnormMean += dnorm;
                    dnormNormMean += dnorm * norm;
                }
                dnormMean /= C;
                dnormNormMean /= C;
                for (int c = 0; c < C; c++) {
                    float norm = (inp[inpOff + row + c] - m) * s;
                    float dnorm = weight[weightOff + c] * dout[doutOff + row + c];
                    dinp[dinpOff + row + c] += (dnorm - dnormMean - norm * dnormNormMean) * s;
                }
            }
        });
        // 2. dweight = sum_n dy * xhat, dbias = sum_n dy: split over columns, rows in order
        parallel.forRange(C, rowGrain(N), (from, to) -> {
            for (int n = 0; n < N; n++) {
                int row = n * C;
                float m = mean[meanOff + n], s = rstd[rstdOff + n];
                for (int c = from; c < to; c++) {
                    float norm = (inp[inpOff + row + c] - m) * s;
                    dweight[dweightOff + c] += dout[doutOff + row + c] * norm;
                    dbias[dbiasOff + c] += dout[doutOff + row + c];
                }
            }
        });
    }
}
