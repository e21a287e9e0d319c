package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * Causal multi-head self-attention on GPT-2's fused projection, the whole op on the device (the contract's
 * {@code attentionForward} / {@code attentionBackward}): qkv (B, T, 3C) read as (B, T, 3, NH, HS), C = NH HS;
 * probs (B, NH, T, T); out and dout (B, T, C) with the heads joined. Nothing is gathered or joined by copies:
 * every item reads its head's rows straight out of qkv and writes straight into out or dqkv. {@link #mode} FORWARD
 * is one launch; BACKWARD is one launch of two passes (pass 0 the rows, pass 1 the columns):
 *
 * <pre>
 *   FORWARD         one item per (b, h, t):  s_j = (q_t scale) . k_j, j &lt;= t      (Vaswani et al. Eq. 1)
 *                                            P_tj = exp(s_j - max) / sum           (0 for j &gt; t)
 *                                            out_t = sum_j P_tj v_j
 *   BACKWARD, 0     one item per (b, h, t):  dP_tj = dY_t . v_j
 *                                            dS_tj = P_tj (dP_tj - sum_i dP_ti P_ti)   (softmax's backward)
 *                                            dq_t += scale sum_j dS_tj k_j
 *   BACKWARD, 1     one item per (b, h, j):  dk_j += sum_{t &gt;= j} dS_tj (q_t scale)
 *                                            dv_j += sum_{t &gt;= j} P_tj dY_t
 * </pre>
 *
 * Pass 0 leaves dS in {@link #ds} (B, NH, T, T) on the device for pass 1, which runs right after it; the two
 * passes write disjoint thirds of dqkv (q, then k and v), so no item adds to another's element. Being passes of
 * one launch, they see the same buffers: between two launches Aparapi would remake the buffer of an array the
 * garbage collector had moved, from the host array, and the device-only dS and dq would be lost.
 * Each item holds one row or column of T scores at a time in global memory (Aparapi gives a work item no
 * private arrays); the inner loops over the head run in increasing index order, as the reference's sums.
 *
 * <p>Written for Aparapi as the other kernels: -inf comes in through {@link #negInf}, the row max compares by
 * hand (NaN propagates as in Math.max), and arrays a mode does not use hold a one-element placeholder.
 */
final class AttentionKernel extends Kernel {

    static final int FORWARD = 0, BACKWARD = 1;

    float[] out, probs, qkv, dqkv, dout, ds;
    int outOff, probsOff, qkvOff, dqkvOff, doutOff, B, T, NH, HS, mode;
    float scale, negInf;

    @Override
    public void run() {
        int id = getGlobalId();
        if (id < B * NH * T) {
            int t = id % T, bh = id / T, h = bh % NH, b = bh / NH;
            if (mode == FORWARD) {
                forwardRow(b, h, t);
            } else if (getPassId() == 0) {
                backwardRow(b, h, t);
            } else {
                backwardColumn(b, h, t);
            }
        }
    }

    /** Index in qkv of element d of head h's part (0 q, 1 k, 2 v) at position t of batch row b. */
    private int qkvAt(int b, int t, int part, int h) {
        int C = NH * HS;
        return qkvOff + ((b * T + t) * 3 + part) * C + h * HS;
    }

    private void forwardRow(int b, int h, int t) {
        int p = probsOff + ((b * NH + h) * T + t) * T, q = qkvAt(b, t, 0, h);
        float m = negInf;
        for (int j = 0; j <= t; j++) {
            int k = qkvAt(b, j, 1, h);
            float s = 0f;
            for (int d = 0; d < HS; d++) {
                s += (qkv[q + d] * scale) * qkv[k + d];
            }
            probs[p + j] = s;
            if (s > m || s != s) {
                m = s;
            }
        }
        float sum = 0f;
        for (int j = 0; j <= t; j++) {
            float e = exp(probs[p + j] - m);
            probs[p + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < T; j++) { // a row whose scores are all -inf is zeros, not NaN, as in the reference
            probs[p + j] = j <= t && m != negInf ? probs[p + j] * inv : 0f;
        }
        int o = outOff + (b * T + t) * NH * HS + h * HS;
        for (int d = 0; d < HS; d++) {
            float y = 0f;
            for (int j = 0; j <= t; j++) {
                y += probs[p + j] * qkv[qkvAt(b, j, 2, h) + d];
            }
            out[o + d] = y;
        }
    }

    private void backwardRow(int b, int h, int t) {
        int row = ((b * NH + h) * T + t) * T, p = probsOff + row, dy = doutOff + (b * T + t) * NH * HS + h * HS;
        float r = 0f; // sum_j dP_tj P_tj
        for (int j = 0; j <= t; j++) {
            int v = qkvAt(b, j, 2, h);
            float dp = 0f;
            for (int d = 0; d < HS; d++) {
                dp += dout[dy + d] * qkv[v + d];
            }
            ds[row + j] = dp;
            r += dp * probs[p + j];
        }
        for (int j = 0; j < T; j++) {
            ds[row + j] = j <= t ? probs[p + j] * (ds[row + j] - r) : 0f;
        }
        int dq = dqkvOff + ((b * T + t) * 3) * NH * HS + h * HS;
        for (int d = 0; d < HS; d++) {
            float g = 0f;
            for (int j = 0; j <= t; j++) {
                g += ds[row + j] * qkv[qkvAt(b, j, 1, h) + d];
            }
            dqkv[dq + d] = dqkv[dq + d] + g * scale;
        }
    }

    private void backwardColumn(int b, int h, int j) {
        int head = (b * NH + h) * T * T, C = NH * HS;
        int dk = dqkvOff + ((b * T + j) * 3 + 1) * C + h * HS, dv = dk + C;
        for (int d = 0; d < HS; d++) {
            float gk = 0f, gv = 0f;
            for (int t = j; t < T; t++) {
                gk += ds[head + t * T + j] * (qkv[qkvAt(b, t, 0, h) + d] * scale);
                gv += probs[probsOff + head + t * T + j] * dout[doutOff + (b * T + t) * C + h * HS + d];
            }
            dqkv[dk + d] = dqkv[dk + d] + gk;
            dqkv[dv + d] = dqkv[dv + d] + gv;
        }
    }
}
