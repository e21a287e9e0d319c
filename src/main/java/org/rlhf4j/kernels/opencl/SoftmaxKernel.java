package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * The softmax family over the last axis of a (rows, cols) array, one work item per row, each row
 * reduced in increasing index order as in the reference (ScalarSoftmax). {@link #mode} picks the op:
 * {@link #SOFTMAX}, {@link #SOFTMAX_BACKWARD}, {@link #LOG_SOFTMAX}, {@link #LOG_SOFTMAX_BACKWARD}.
 * Arrays the mode does not use hold a one-element placeholder (Aparapi binds every array field the
 * kernel mentions).
 *
 * <p>Written for Aparapi: -inf comes in through the field {@link #negInf} (a float literal -Infinity
 * would be written into the OpenCL C as is, which does not compile); the row max compares by hand
 * so that NaN propagates as in {@code Math.max} (OpenCL's fmax drops NaN).
 */
final class SoftmaxKernel extends Kernel {

    static final int SOFTMAX = 0, SOFTMAX_BACKWARD = 1, LOG_SOFTMAX = 2, LOG_SOFTMAX_BACKWARD = 3;

    float[] out, inp, dinp, dout;
    int outOff, inpOff, dinpOff, doutOff, rows, cols, mode;
    float negInf;

    @Override
    public void run() {
        int r = getGlobalId();
        if (r < rows) {
            if (mode == SOFTMAX) {
                softmaxRow(r);
            } else if (mode == SOFTMAX_BACKWARD) {
                softmaxBackwardRow(r);
            } else if (mode == LOG_SOFTMAX) {
                logSoftmaxRow(r);
            } else {
                logSoftmaxBackwardRow(r);
            }
        }
    }

    /** max_j x[j] with NaN winning, -inf for an empty row. */
    private float rowMax(int off) {
        float m = negInf;
        for (int j = 0; j < cols; j++) {
            float v = inp[off + j];
            if (v > m || v != v) {
                m = v;
            }
        }
        return m;
    }

    private void softmaxRow(int r) {
        int ii = inpOff + r * cols, oo = outOff + r * cols;
        float m = rowMax(ii);
        if (m == negInf) { // every entry masked: zeros, not NaN
            for (int j = 0; j < cols; j++) {
                out[oo + j] = 0f;
            }
        } else {
            float s = 0f;
            for (int j = 0; j < cols; j++) {
                float e = exp(inp[ii + j] - m);
                out[oo + j] = e;
                s += e;
            }
            float inv = 1f / s;
            for (int j = 0; j < cols; j++) {
                out[oo + j] = out[oo + j] * inv;
            }
        }
    }

    private void softmaxBackwardRow(int r) {
        int o = r * cols;
        float dot = 0f; // sum_k dout[k] y[k]
        for (int k = 0; k < cols; k++) {
            dot += dout[doutOff + o + k] * out[outOff + o + k];
        }
        for (int j = 0; j < cols; j++) {
            dinp[dinpOff + o + j] = dinp[dinpOff + o + j] + out[outOff + o + j] * (dout[doutOff + o + j] - dot);
        }
    }

    private void logSoftmaxRow(int r) {
        int ii = inpOff + r * cols, oo = outOff + r * cols;
        float m = rowMax(ii);
        float lse = m;
        if (m != negInf) {
            float s = 0f;
            for (int j = 0; j < cols; j++) {
                s += exp(inp[ii + j] - m);
            }
            lse = m + log(s);
        }
        for (int j = 0; j < cols; j++) {
            out[oo + j] = lse == negInf ? lse : inp[ii + j] - lse;
        }
    }

    private void logSoftmaxBackwardRow(int r) {
        int o = r * cols;
        float sum = 0f; // sum_k dout[k]
        for (int k = 0; k < cols; k++) {
            sum += dout[doutOff + o + k];
        }
        for (int j = 0; j < cols; j++) {
            dinp[dinpOff + o + j] = dinp[dinpOff + o + j] + (dout[doutOff + o + j] - exp(out[outOff + o + j]) * sum);
        }
    }
}
