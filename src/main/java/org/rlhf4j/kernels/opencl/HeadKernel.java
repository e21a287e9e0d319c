package org.rlhf4j.kernels.opencl;

/**
 * A linear head and its softmax cross-entropy in one kernel object, so that the logits stay on the device
 * between the product that makes them and the loss that reads them. Aparapi gives every kernel object its own
 * OpenCL context (its JNI layer creates one per kernel) and so its own buffers: two kernel objects cannot share
 * a device array, and one object keeps an array on the device only while the same Java array stays bound to the
 * same field. This kernel therefore carries every array of the head as its own field (h, w, z, dz, dh, dw and
 * the loss's rows), and {@link #mode} picks what a launch does:
 *
 * <ul>
 * <li>{@link #LOGITS}: {@code z = h · w^T}, the tiled product of {@link MatmulKernel} reading h and w;
 * <li>{@link #CE_FORWARD}: one item per row of z, {@code lse = logsumexp(row)}, {@code loss = lse - z[t]}
 *     (0 and 0 on ignored rows), the row reduced in increasing index order;
 * <li>{@link #CE_BACKWARD}: one item per element of z, {@code dz = dlosses[r] (e^(z - lse) - [v = t])},
 *     added to dz ({@link #ceAccumulate} 1, the contract's crossEntropyBackward) or written over it (0, the
 *     fused head's scratch; ignored rows then get 0);
 * <li>{@link #DH}: {@code dh += dz · w}; {@link #DW}: {@code dw += dz^T · h} (the tiled product again).
 * </ul>
 *
 * The products take M, K, N, the transpose flags and aOff, bOff, outOff from {@link MatmulKernel}'s fields;
 * {@link #elementA}, {@link #elementB} and {@link #storeOut} send its reads and writes to the mode's arrays.
 * The contract's plain crossEntropyForward and Backward run on this kernel too (z the logits, dz their gradient).
 * Targets are checked on the host before the launch (a kernel cannot throw).
 */
final class HeadKernel extends MatmulKernel {

    static final int LOGITS = 0, DH = 1, DW = 2, CE_FORWARD = 3, CE_BACKWARD = 4;

    float[] h, w, z, dz, dh, dw, losses, lse, dlosses;
    int[] targets;
    int mode, zOff, dzOff, lossesOff, lseOff, dlossesOff, targetsOff, rows, V, ignoreIndex, ceAccumulate;
    float negInf;

    @Override
    public void run() {
        if (mode == CE_FORWARD) {
            int r = getGlobalId(0);
            if (r < rows) {
                forwardRow(r);
            }
        } else if (mode == CE_BACKWARD) {
            int id = getGlobalId(0);
            if (id < rows * V) {
                backwardElement(id);
            }
        } else {
            product();
        }
    }

    @Override
    float elementA(int idx) {
        return mode == LOGITS ? h[idx] : dz[idx];
    }

    @Override
    float elementB(int idx) {
        return mode == DW ? h[idx] : w[idx];
    }

    @Override
    void storeOut(int idx, float v) {
        if (mode == LOGITS) {
            z[idx] = v;
        } else if (mode == DH) {
            dh[idx] = dh[idx] + v;
        } else {
            dw[idx] = dw[idx] + v;
        }
    }

    private void forwardRow(int r) {
        int t = targets[targetsOff + r];
        if (t == ignoreIndex) {
            losses[lossesOff + r] = 0f;
            lse[lseOff + r] = 0f;
        } else {
            int row = zOff + r * V;
            float m = negInf;
            for (int j = 0; j < V; j++) {
                float x = z[row + j];
                if (x > m || x != x) {
                    m = x;
                }
            }
            float l = m;
            if (m != negInf) {
                float s = 0f;
                for (int j = 0; j < V; j++) {
                    s += exp(z[row + j] - m);
                }
                l = m + log(s);
            }
            lse[lseOff + r] = l;
            losses[lossesOff + r] = l - z[row + t]; // -log softmax(x)[t] = logsumexp(x) - x[t]
        }
    }

    private void backwardElement(int id) {
        int r = id / V, v = id - r * V;
        int t = targets[targetsOff + r];
        float g = 0f;
        if (t != ignoreIndex) {
            float p = exp(z[zOff + id] - lse[lseOff + r]); // softmax(x)[v]
            g = dlosses[dlossesOff + r] * (v == t ? p - 1f : p);
        }
        dz[dzOff + id] = ceAccumulate != 0 ? dz[dzOff + id] + g : g;
    }
}
