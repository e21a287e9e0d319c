package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;

/**
 * Fused softmax cross-entropy over (rows, V) logits. {@link #FORWARD}: one work item per row,
 * {@code lse = logsumexp(row)}, {@code loss = lse - logits[t]} (0 and 0 on ignored rows), the row
 * reduced in increasing index order. {@link #BACKWARD}: one work item per logit,
 * {@code dlogits[r,v] += dlosses[r] (e^(x - lse) - [v = t])}, nothing on ignored rows. Targets are
 * checked on the host before the launch (a kernel cannot throw).
 */
final class CrossEntropyKernel extends Kernel {

    static final int FORWARD = 0, BACKWARD = 1;

    float[] losses, lse, logits, dlogits, dlosses;
    int[] targets;
    int lossesOff, lseOff, logitsOff, dlogitsOff, dlossesOff, targetsOff, rows, V, ignoreIndex, mode;
    float negInf;

    @Override
    public void run() {
        int id = getGlobalId();
        if (mode == FORWARD) {
            if (id < rows) {
                forwardRow(id);
            }
        } else if (id < rows * V) {
            int r = id / V, v = id - r * V;
            int t = targets[targetsOff + r];
            if (t != ignoreIndex) {
                float p = exp(logits[logitsOff + id] - lse[lseOff + r]); // softmax(x)[v]
                float dl = dlosses[dlossesOff + r];
                dlogits[dlogitsOff + id] = dlogits[dlogitsOff + id] + dl * (v == t ? p - 1f : p);
            }
        }
    }

    private void forwardRow(int r) {
        int t = targets[targetsOff + r];
        if (t == ignoreIndex) {
            losses[lossesOff + r] = 0f;
            lse[lseOff + r] = 0f;
        } else {
            int row = logitsOff + r * V;
            float m = negInf;
            for (int j = 0; j < V; j++) {
                float x = logits[row + j];
                if (x > m || x != x) {
                    m = x;
                }
            }
            float l = m;
            if (m != negInf) {
                float s = 0f;
                for (int j = 0; j < V; j++) {
                    s += exp(logits[row + j] - m);
                }
                l = m + log(s);
            }
            lse[lseOff + r] = l;
            losses[lossesOff + r] = l - logits[row + t]; // -log softmax(x)[t] = logsumexp(x) - x[t]
        }
    }
}
