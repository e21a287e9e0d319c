package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * Layer norm over the last axis of (N, C). {@link #FORWARD}: one work item per row; the mean is
 * {@code x0 + sum_c (x_c - x0) / C} with x0 the row's first element (as SimdLayerNorm: no
 * cancellation for rows far from 0, and a constant row gets its value exactly, hence y = bias),
 * the variance the biased mean of squared deviations (scaled by the largest deviation when that is
 * above 1, so that no square overflows), {@code rstd = 1 / sqrt(var + eps)}, all in
 * float (the reference sums in double; a GPU may have no doubles). {@link #BACKWARD}: one launch of two passes
 * over max(N, C) items. Pass 0, one item per row: {@code dx += rstd (g - mean(g) - xhat mean(g xhat))},
 * {@code g = w dy}. Pass 1, one item per column c: {@code dw[c] += sum_n dy xhat}, {@code db[c] += sum_n dy}, rows
 * in increasing order (docs/derivations/layernorm.md). The passes of one launch keep dx on the device between
 * them: two launches would lose it on a GPU if the garbage collector moved the array in between (docs/gpu.md,
 * "Transfers").
 */
final class LayerNormKernel extends Kernel {

    static final int FORWARD = 0, BACKWARD = 1;

    float[] out, mean, rstd, inp, weight, bias, dinp, dweight, dbias, dout;
    int outOff, meanOff, rstdOff, inpOff, weightOff, biasOff, dinpOff, dweightOff, dbiasOff, doutOff, N, C, mode;
    float eps;

    @Override
    public void run() {
        int id = getGlobalId();
        if (mode == FORWARD) {
            if (id < N) {
                forwardRow(id);
            }
        } else if (getPassId() == 0) {
            if (id < N) {
                backwardRow(id);
            }
        } else if (id < C) {
            backwardColumn(id);
        }
    }

    private void forwardRow(int n) {
        int x = inpOff + n * C, o = outOff + n * C;
        float x0 = inp[x];
        float shifted = 0f;
        for (int c = 0; c < C; c++) {
            shifted += inp[x + c] - x0;
        }
        float m = x0 + shifted / C;
        // Deviations beyond ~1e19 would overflow their squares in float (the reference sums in
        // double and rounds the variance to float): then the squares are of d / h, h the largest |d|,
        // and var = h^2 v', which overflows (rstd = 0) exactly where the reference's float variance does.
        float h = 0f;
        for (int c = 0; c < C; c++) {
            h = max(h, abs(inp[x + c] - m));
        }
        float scale = h > 1f ? h : 1f;
        float squares = 0f;
        for (int c = 0; c < C; c++) {
            float d = (inp[x + c] - m) / scale;
            squares += d * d;
        }
        float v = squares / C * scale * scale; // biased variance, as PyTorch
        float s = 1f / sqrt(v + eps);          // rstd
        for (int c = 0; c < C; c++) {
            float norm = (inp[x + c] - m) * s;
            out[o + c] = norm * weight[weightOff + c] + bias[biasOff + c];
        }
        mean[meanOff + n] = m;
        rstd[rstdOff + n] = s;
    }

    private void backwardRow(int n) {
        int row = n * C;
        float m = mean[meanOff + n], s = rstd[rstdOff + n];
        float dnormMean = 0f, dnormNormMean = 0f;
        for (int c = 0; c < C; c++) {
            float norm = (inp[inpOff + row + c] - m) * s;
            float dnorm = weight[weightOff + c] * dout[doutOff + row + c];
            dnormMean += dnorm;
            dnormNormMean += dnorm * norm;
        }
        dnormMean = dnormMean / C;
        dnormNormMean = dnormNormMean / C;
        for (int c = 0; c < C; c++) {
            float norm = (inp[inpOff + row + c] - m) * s;
            float dnorm = weight[weightOff + c] * dout[doutOff + row + c];
            dinp[dinpOff + row + c] = dinp[dinpOff + row + c] + (dnorm - dnormMean - norm * dnormNormMean) * s;
        }
    }

    private void backwardColumn(int c) {
        float dw = dweight[dweightOff + c], db = dbias[dbiasOff + c];
        for (int n = 0; n < N; n++) {
            int i = n * C + c;
            float norm = (inp[inpOff + i] - mean[meanOff + n]) * rstd[rstdOff + n];
            dw += dout[doutOff + i] * norm;
            db += dout[doutOff + i];
        }
        dweight[dweightOff + c] = dw;
        dbias[dbiasOff + c] = db;
    }
}
