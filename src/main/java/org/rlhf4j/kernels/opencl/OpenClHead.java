package org.rlhf4j.kernels.opencl;

/**
 * The launches of {@link HeadKernel}: the contract's softmax cross-entropy ({@link OpenClKernels#crossEntropyForward}
 * and its backward) on one kernel object, and the fused head ({@link OpenClKernels#linearCrossEntropyForward} and
 * its backward) on another, once those have sent degenerate shapes and aliased arrays to the CPU. In the fused
 * head the logits and their gradient never leave the device: the whole call is one launch of two passes per
 * chunk of rows (forward: the logits into the kernel's scratch z, then the loss rows) or four (backward: z again,
 * dz, dx's rows, dw), so it copies its inputs up once and its outputs down once whatever the number of chunks, and
 * nothing that lives only on the device between two passes depends on the garbage collector leaving an array
 * where it was (Aparapi pins the arrays for the whole launch). Launches are serialised on each kernel.
 */
final class OpenClHead {

    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];
    private static final int[] NO_TARGETS = new int[1];

    /** At most this many work groups per fused launch (2^16: far above a GPU's resident groups, far below overflow). */
    static final int MAX_GROUPS = 1 << 16;

    private final Launcher dev;
    private final int maxGroups;
    private final HeadKernel plain = new HeadKernel(), fused = new HeadKernel();
    /**
     * The fused head's logits and their gradient, one chunk of rows each: device-only scratch, never copied, kept
     * bound to the fused kernel between calls so that Aparapi keeps their device buffers (a new buffer is filled
     * from the host array when it is made). They grow to the largest chunk and stay: 2 x 128 MB for GPT-2's head.
     */
    private float[] z = NONE, dz = NONE;

    OpenClHead(Launcher dev, int maxGroups) {
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be positive, got " + maxGroups);
        }
        this.dev = dev;
        this.maxGroups = maxGroups;
        dev.prepare(plain);
        dev.prepare(fused);
    }

    /** One launch: logits and targets up; losses and lse, overwritten in their windows, down. */
    void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] logits, int logitsOff,
                             int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        checkTargets("crossEntropy", targets, targetsOff, rows, V, ignoreIndex);
        HeadKernel k = plain;
        synchronized (k) {
            clear(k);
            setLoss(k, losses, lossesOff, lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
            k.mode = HeadKernel.CE_FORWARD;
            k.z = logits;
            k.zOff = logitsOff;
            dev.put(k, logits);
            dev.put(k, targets);
            dev.putUnlessOverwritten(k, losses, lossesOff, rows, false);
            dev.putUnlessOverwritten(k, lse, lseOff, rows, false);
            dev.launch(k, dev.range(rows));
            dev.get(k, losses);
            dev.get(k, lse);
        }
    }

    /** One launch: logits, lse, dlosses, targets and the accumulated dlogits up; dlogits down. */
    void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff, float[] logits,
                              int logitsOff, float[] lse, int lseOff, int[] targets, int targetsOff, int rows, int V,
                              int ignoreIndex) {
        checkTargets("crossEntropy backward", targets, targetsOff, rows, V, ignoreIndex);
        HeadKernel k = plain;
        synchronized (k) {
            clear(k);
            setLoss(k, NONE, 0, lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
            k.mode = HeadKernel.CE_BACKWARD;
            k.z = logits;
            k.zOff = logitsOff;
            k.dz = dlogits;
            k.dzOff = dlogitsOff;
            k.dlosses = dlosses;
            k.dlossesOff = dlossesOff;
            dev.put(k, logits);
            dev.put(k, lse);
            dev.put(k, dlosses);
            dev.put(k, targets);
            dev.put(k, dlogits);
            dev.launch(k, dev.range(rows * V));
            dev.get(k, dlogits);
        }
    }

    /** x, w and targets up; one launch of two passes per chunk (logits, loss rows); losses and lse down. */
    void linearForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] x, int xOff, float[] w,
                       int wOff, int[] targets, int targetsOff, int N, int C, int V, int ignoreIndex, int R) {
        checkTargets("linearCrossEntropy", targets, targetsOff, N, V, ignoreIndex);
        HeadKernel k = fused;
        synchronized (k) {
            bindScratch(R * V);
            setLoss(k, losses, lossesOff, lse, lseOff, targets, targetsOff, N, V, ignoreIndex);
            setHead(x, xOff, w, wOff, C, R);
            k.mode = HeadKernel.FUSED_FORWARD;
            dev.put(k, x);
            dev.put(k, w);
            dev.put(k, targets);
            dev.putUnlessOverwritten(k, losses, lossesOff, N, false);
            dev.putUnlessOverwritten(k, lse, lseOff, N, false);
            dev.launch(k, fusedRange(R, C, V), 2 * chunks(N, R));
            dev.get(k, losses);
            dev.get(k, lse);
        }
    }

    /**
     * x, w, lse, dlosses, targets and the accumulated dx and dw up; one launch of four passes per chunk (logits, dz,
     * dx's rows, dw); dx and dw down. A null dx or dw is not computed (its pass does nothing).
     */
    void linearBackward(float[] dx, int dxOff, float[] dw, int dwOff, float[] dlosses, int dlossesOff, float[] x,
                        int xOff, float[] w, int wOff, float[] lse, int lseOff, int[] targets, int targetsOff,
                        int N, int C, int V, int ignoreIndex, int R) {
        checkTargets("linearCrossEntropy backward", targets, targetsOff, N, V, ignoreIndex);
        HeadKernel k = fused;
        synchronized (k) {
            bindScratch(R * V);
            setLoss(k, NONE, 0, lse, lseOff, targets, targetsOff, N, V, ignoreIndex);
            setHead(x, xOff, w, wOff, C, R);
            k.mode = HeadKernel.FUSED_BACKWARD;
            k.dlosses = dlosses;
            k.dlossesOff = dlossesOff;
            k.dh = dx != null ? dx : NONE;
            k.dhOff = dxOff;
            k.doDh = dx != null ? 1 : 0;
            k.dw = dw != null ? dw : NONE;
            k.dwOff = dwOff;
            k.doDw = dw != null ? 1 : 0;
            for (float[] a : new float[][] {x, w, lse, dlosses}) {
                dev.put(k, a);
            }
            dev.put(k, targets);
            if (dx != null) {
                dev.put(k, dx);
            }
            if (dw != null) {
                dev.put(k, dw);
            }
            dev.launch(k, fusedRange(R, C, V), 4 * chunks(N, R));
            if (dx != null) {
                dev.get(k, dx);
            }
            if (dw != null) {
                dev.get(k, dw);
            }
        }
    }

    private static int chunks(int N, int R) {
        return (N + R - 1) / R;
    }

    /**
     * One work group per 64 x 64 block of a chunk's largest product, up to {@link #maxGroups}: beyond that the groups
     * take blocks (and loss rows, and logits) in turn. The local size is {@link HeadKernel#LOCAL}, which the kernel's
     * product and row reductions assume.
     */
    private com.aparapi.Range fusedRange(int R, int C, int V) {
        long blocks = Math.max(Math.max(blocks(R, V), blocks(R, C)), blocks(V, C));
        return dev.groups((int) Math.max(1, Math.min(blocks, maxGroups)), HeadKernel.LOCAL);
    }

    private static long blocks(int m, int n) {
        int b = MatmulKernel.BLOCK;
        return (long) ((m + b - 1) / b) * ((n + b - 1) / b);
    }

    private void setHead(float[] x, int xOff, float[] w, int wOff, int C, int R) {
        HeadKernel k = fused;
        k.h = x;
        k.hOff = xOff;
        k.w = w;
        k.wOff = wOff;
        k.C = C;
        k.chunkRows = R;
    }

    private void bindScratch(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("linearCrossEntropy: a chunk of " + n + " logits");
        }
        if (z.length < n) {
            z = new float[n];
            dz = new float[n];
        }
        clear(fused);
    }

    /** Every array field to its placeholder; the fused kernel keeps its scratch (so that its device buffers stay). */
    private void clear(HeadKernel k) {
        k.h = k.w = k.dh = k.dw = k.losses = k.lse = k.dlosses = NONE;
        k.z = k == fused ? z : NONE;
        k.dz = k == fused ? dz : NONE;
        k.targets = NO_TARGETS;
        k.a = k.b = k.out = NONE; // MatmulKernel's own operands, which this kernel's overrides never read
        k.doDh = k.doDw = 0;
    }

    private static void setLoss(HeadKernel k, float[] losses, int lossesOff, float[] lse, int lseOff, int[] targets,
                                int targetsOff, int rows, int V, int ignoreIndex) {
        k.losses = losses;
        k.lossesOff = lossesOff;
        k.lse = lse;
        k.lseOff = lseOff;
        k.targets = targets;
        k.targetsOff = targetsOff;
        k.rows = rows;
        k.V = V;
        k.ignoreIndex = ignoreIndex;
        k.negInf = Float.NEGATIVE_INFINITY;
    }

    /** The reference's check, on the host: a kernel cannot throw. */
    static void checkTargets(String op, int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        for (int r = 0; r < rows; r++) {
            int t = targets[targetsOff + r];
            if (t != ignoreIndex && (t < 0 || t >= V)) {
                throw new IndexOutOfBoundsException(op + ": target " + t + " at row " + r
                        + " is outside [0, " + V + ") and is not the ignore index " + ignoreIndex);
            }
        }
    }
}
