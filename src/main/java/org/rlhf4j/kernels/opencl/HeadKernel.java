package org.rlhf4j.kernels.opencl;

/**
 * A linear head and its softmax cross-entropy in one kernel object, so that the logits stay on the device
 * between the product that makes them and the loss that reads them. Aparapi gives every kernel object its own
 * OpenCL context (its JNI layer creates one per kernel) and so its own buffers: two kernel objects cannot share
 * a device array, and one object keeps an array on the device only while the same Java array stays bound to the
 * same field. This kernel therefore carries every array of the head as its own field (h, w, z, dz, dh, dw and
 * the loss's rows). {@link #mode}:
 *
 * <ul>
 * <li>{@link #CE_FORWARD}: the contract's crossEntropyForward, one item per row of z:
 *     {@code lse = logsumexp(row)}, {@code loss = lse - z[t]} (0 and 0 on ignored rows), the row reduced in
 *     increasing index order;
 * <li>{@link #CE_BACKWARD}: its backward, one item per element of z, {@code dz += dlosses[r] (e^(z - lse) - [v = t])},
 *     ignored rows left alone;
 * <li>{@link #FUSED_FORWARD}, {@link #FUSED_BACKWARD}: the fused head (each loss row by one work group, its items
 *     splitting the row and combining in local memory; groups take rows in turn), every chunk of {@link #chunkRows} rows in
 *     one launch of several passes ({@code execute(range, passes)}: Aparapi pins every array once for all the
 *     passes and runs them in order, so state that lives only on the device between two passes cannot be lost
 *     to a buffer Aparapi remakes from the host array after the garbage collector moved it). Per chunk the
 *     forward's passes are {@code z = h · w^T} and the loss rows; the backward's are z again,
 *     {@code dz = dlosses[r] (e^(z - lse) - [v = t])} (written whole, 0 on ignored rows), {@code dh += dz · w} and
 *     {@code dw += dz^T · h}.
 * </ul>
 *
 * The products are {@link MatmulKernel}'s tiled product, run over a one-dimensional range whose work groups
 * take the 64 x 64 output blocks in turn; {@link #elementA}, {@link #elementB} and {@link #storeOut} send its reads
 * and writes to the pass's arrays. Targets are checked on the host before the launch (a kernel cannot throw).
 */
final class HeadKernel extends MatmulKernel {

    static final int CE_FORWARD = 0, CE_BACKWARD = 1, FUSED_FORWARD = 2, FUSED_BACKWARD = 3;
    /** What a product of the fused head reads and writes (its {@code sel}). */
    static final int LOGITS = 0, DH = 1, DW = 2;
    /** Items per work group of the fused modes (the tiled product's 16 x 16); the row reductions' tree assumes it. */
    static final int LOCAL = GROUP * GROUP;

    float[] h, w, z, dz, dh, dw, losses, lse, dlosses;
    int[] targets;
    int mode, zOff, dzOff, lossesOff, lseOff, dlossesOff, targetsOff, rows, V, ignoreIndex;
    /** The fused head's shape and offsets: x (rows, C) from hOff, w (V, C) from wOff, dx from dhOff, dw from dwOff. */
    int C, chunkRows, hOff, wOff, dhOff, dwOff, doDh, doDw;
    float negInf;
    /** One work group's partial maxima or sums, for the fused forward's loss rows. */
    @Local final float[] partial = new float[LOCAL];

    @Override
    public void run() {
        if (mode == CE_FORWARD) {
            int r = getGlobalId(0);
            if (r < rows) {
                forwardRow(r, zOff, lossesOff, lseOff, targetsOff);
            }
        } else if (mode == CE_BACKWARD) {
            int id = getGlobalId(0);
            if (id < rows * V) {
                backwardElement(id, zOff, dzOff, lseOff, dlossesOff, targetsOff, 1);
            }
        } else {
            fusedPass();
        }
    }

    /** Pass p of the fused head: chunk p / stages, stage p % stages. */
    private void fusedPass() {
        int stages = mode == FUSED_FORWARD ? 2 : 4;
        int pass = getPassId(), stage = pass % stages, r0 = (pass / stages) * chunkRows;
        int n = min(chunkRows, rows - r0);
        int lid = getLocalId(0), tx = lid % GROUP, ty = lid / GROUP, stride = getGlobalSize(0);
        // plain ifs, no else-if chain: Aparapi 3.0.2 cannot fold that shape here ("child list broken")
        if (stage == 0) {
            tiles(LOGITS, n, C, V, 0, 1, hOff + r0 * C, wOff, 0, tx, ty);       // z (n, V) = h[r0..] . w^T
        }
        if (stage == 1 && mode == FUSED_FORWARD) {
            int groups = getNumGroups(0);
            for (int r = getGroupId(0); r < n; r += groups) {
                groupRow(r, lid, lossesOff + r0, lseOff + r0, targetsOff + r0);
            }
        }
        if (stage == 1 && mode == FUSED_BACKWARD) {
            for (int e = getGlobalId(0); e < n * V; e += stride) {
                backwardElement(e, 0, 0, lseOff + r0, dlossesOff + r0, targetsOff + r0, 0);
            }
        }
        if (stage == 2 && doDh != 0) {
            tiles(DH, n, V, C, 0, 0, 0, wOff, dhOff + r0 * C, tx, ty);           // dh[r0..] += dz (n, V) . w (V, C)
        }
        if (stage == 3 && doDw != 0) {
            tiles(DW, V, n, C, 1, 0, 0, hOff + r0 * C, dwOff, tx, ty);          // dw (V, C) += dz^T . h[r0..]
        }
    }

    /** The 64 x 64 blocks of an (m, n) product, taken in turn by the work groups of the range. */
    private void tiles(int sel, int m, int k, int n, int tA, int tB, int ao, int bo, int ob, int tx, int ty) {
        int blocksN = (n + BLOCK - 1) / BLOCK, blocks = ((m + BLOCK - 1) / BLOCK) * blocksN, groups = getNumGroups(0);
        for (int t = getGroupId(0); t < blocks; t += groups) {
            product(sel, (t / blocksN) * BLOCK, (t % blocksN) * BLOCK, tx, ty, m, k, n, tA, tB, ao, bo, ob);
        }
    }

    @Override
    float elementA(int sel, int idx) {
        return sel == LOGITS ? h[idx] : dz[idx];
    }

    @Override
    float elementB(int sel, int idx) {
        return sel == DW ? h[idx] : w[idx];
    }

    @Override
    void storeOut(int sel, int idx, float v) {
        if (sel == LOGITS) {
            z[idx] = v;
        } else if (sel == DH) {
            dh[idx] = dh[idx] + v;
        } else {
            dw[idx] = dw[idx] + v;
        }
    }

    private void forwardRow(int r, int zo, int lossesAt, int lseAt, int targetsAt) {
        int t = targets[targetsAt + r];
        if (t == ignoreIndex) {
            losses[lossesAt + r] = 0f;
            lse[lseAt + r] = 0f;
        } else {
            int row = zo + r * V;
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
            lse[lseAt + r] = l;
            losses[lossesAt + r] = l - z[row + t]; // -log softmax(x)[t] = logsumexp(x) - x[t]
        }
    }

    /**
     * Row r of the scratch z by one whole work group (a GPU wants more items than the chunk's rows; with fewer groups
     * than rows, the groups take rows in turn): an ignored row is written 0 and 0 at once; otherwise each item
     * takes every (GROUP^2)-th logit for the row's maximum, then for its sum of exponentials, and a tree in local
     * memory combines the items' partials; item 0 writes lse and the loss. The same values as
     * {@link #forwardRow}, the sums in another order. Every item of the group must call it (barriers).
     */
    private void groupRow(int r, int lid, int lossesAt, int lseAt, int targetsAt) {
        int size = LOCAL, row = r * V;
        int t = targets[targetsAt + r]; // the same for every item of the group
        if (t == ignoreIndex) {
            if (lid == 0) {
                lse[lseAt + r] = 0f;
                losses[lossesAt + r] = 0f;
            }
        } else {
            groupLoss(r, lid, row, t, size, lossesAt, lseAt);
        }
    }

    /** groupRow for a row whose target t counts: every item reaches every barrier. */
    private void groupLoss(int r, int lid, int row, int t, int size, int lossesAt, int lseAt) {
        float m = negInf;
        for (int j = lid; j < V; j += size) {
            float x = z[row + j];
            if (x > m || x != x) {
                m = x;
            }
        }
        partial[lid] = m;
        localBarrier();
        for (int span = size / 2; span > 0; span = span / 2) {
            if (lid < span) {
                float o = partial[lid + span];
                if (o > partial[lid] || o != o) {
                    partial[lid] = o;
                }
            }
            localBarrier();
        }
        float mx = partial[0];
        localBarrier();
        float s = 0f;
        if (mx != negInf) {
            for (int j = lid; j < V; j += size) {
                s += exp(z[row + j] - mx);
            }
        }
        partial[lid] = s;
        localBarrier();
        for (int span = size / 2; span > 0; span = span / 2) {
            if (lid < span) {
                partial[lid] = partial[lid] + partial[lid + span];
            }
            localBarrier();
        }
        if (lid == 0) {
            float l = mx != negInf ? mx + log(partial[0]) : mx;
            lse[lseAt + r] = l;
            losses[lossesAt + r] = l - z[row + t];
        }
        localBarrier();
    }

    /** dz at element id of the rows from zo/dzo: added when accumulating (ignored rows untouched), else written. */
    private void backwardElement(int id, int zo, int dzo, int lseAt, int dlossesAt, int targetsAt, int accumulateDz) {
        int r = id / V, v = id - r * V;
        int t = targets[targetsAt + r];
        float g = 0f;
        if (t != ignoreIndex) {
            float p = exp(z[zo + id] - lse[lseAt + r]); // softmax(x)[v]
            g = dlosses[dlossesAt + r] * (v == t ? p - 1f : p);
        }
        if (t != ignoreIndex || accumulateDz == 0) {
            dz[dzo + id] = accumulateDz != 0 ? dz[dzo + id] + g : g;
        }
    }
}
