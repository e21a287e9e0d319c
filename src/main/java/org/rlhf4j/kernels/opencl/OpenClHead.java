package org.rlhf4j.kernels.opencl;

/**
 * The launches of {@link HeadKernel}: the contract's softmax cross-entropy ({@link OpenClKernels#crossEntropyForward}
 * and its backward) and the fused head ({@link OpenClKernels#linearCrossEntropyForward} and its backward), once
 * those have sent degenerate shapes and aliased arrays to the CPU. In the fused head the logits and their
 * gradient never leave the device: per chunk of rows the kernel makes the logits in its scratch z, reads them
 * for the loss (forward) or turns them into dz and multiplies dz into dx and dw (backward), so a call copies
 * its inputs up once and its outputs down once, whatever the number of chunks. Launches are serialised on the
 * kernel.
 */
final class OpenClHead {

    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];
    private static final int[] NO_TARGETS = new int[1];

    private final Launcher dev;
    private final HeadKernel kernel = new HeadKernel();
    /**
     * The fused head's logits and their gradient, one chunk of rows each: device-only scratch, never copied, kept
     * bound between calls so that Aparapi keeps their device buffers (a new buffer would be filled from the host
     * array when it is made). They grow to the largest chunk and stay: 2 x 128 MB for GPT-2's head.
     */
    private float[] z = NONE, dz = NONE;

    OpenClHead(Launcher dev) {
        this.dev = dev;
        dev.prepare(kernel);
    }

    /** One launch: logits and targets up; losses and lse, overwritten in their windows, down. */
    void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] logits, int logitsOff,
                             int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        checkTargets("crossEntropy", targets, targetsOff, rows, V, ignoreIndex);
        HeadKernel k = kernel;
        synchronized (k) {
            clear();
            setLoss(losses, lossesOff, lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
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
        HeadKernel k = kernel;
        synchronized (k) {
            clear();
            setLoss(NONE, 0, lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
            k.mode = HeadKernel.CE_BACKWARD;
            k.ceAccumulate = 1;
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

    /** x, w and targets up; per chunk, the logits product and the loss rows; losses and lse down. */
    void linearForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] x, int xOff, float[] w,
                       int wOff, int[] targets, int targetsOff, int N, int C, int V, int ignoreIndex, int R) {
        checkTargets("linearCrossEntropy", targets, targetsOff, N, V, ignoreIndex);
        HeadKernel k = kernel;
        synchronized (k) {
            bindScratch(R * V);
            setLoss(losses, lossesOff, lse, lseOff, targets, targetsOff, N, V, ignoreIndex);
            k.h = x;
            k.w = w;
            dev.put(k, x);
            dev.put(k, w);
            dev.put(k, targets);
            dev.putUnlessOverwritten(k, losses, lossesOff, N, false);
            dev.putUnlessOverwritten(k, lse, lseOff, N, false);
            for (int r0 = 0; r0 < N; r0 += R) {
                int rows = Math.min(R, N - r0);
                logits(xOff, wOff, r0, rows, C, V);
                chunkRows(lossesOff, lseOff, 0, targetsOff, r0, rows);
                k.mode = HeadKernel.CE_FORWARD;
                dev.launch(k, dev.range(rows));
            }
            dev.get(k, losses);
            dev.get(k, lse);
        }
    }

    /**
     * x, w, lse, dlosses, targets and the accumulated dx and dw up; per chunk four launches (logits, dz, dx's rows,
     * dw); dx and dw down.
     */
    void linearBackward(float[] dx, int dxOff, float[] dw, int dwOff, float[] dlosses, int dlossesOff, float[] x,
                        int xOff, float[] w, int wOff, float[] lse, int lseOff, int[] targets, int targetsOff,
                        int N, int C, int V, int ignoreIndex, int R) {
        checkTargets("linearCrossEntropy backward", targets, targetsOff, N, V, ignoreIndex);
        HeadKernel k = kernel;
        synchronized (k) {
            bindScratch(R * V);
            setLoss(NONE, 0, lse, lseOff, targets, targetsOff, N, V, ignoreIndex);
            k.h = x;
            k.w = w;
            k.dh = dx;
            k.dw = dw;
            k.dlosses = dlosses;
            for (float[] a : new float[][] {x, w, lse, dlosses, dx, dw}) {
                dev.put(k, a);
            }
            dev.put(k, targets);
            for (int r0 = 0; r0 < N; r0 += R) {
                int rows = Math.min(R, N - r0);
                logits(xOff, wOff, r0, rows, C, V);
                chunkRows(0, lseOff, dlossesOff, targetsOff, r0, rows);
                k.mode = HeadKernel.CE_BACKWARD;
                k.ceAccumulate = 0; // dz is scratch: written whole, 0 on ignored rows
                dev.launch(k, dev.range(rows * V));
                // dx[rows] += dz (rows, V) . w (V, C)
                product(HeadKernel.DH, rows, V, C, 0, 0, 0, wOff, dxOff + r0 * C);
                // dw (V, C) += dz^T . x[rows]: dz is stored (rows, V), op(A) = dz^T (V, rows)
                product(HeadKernel.DW, V, rows, C, 1, 0, 0, xOff + r0 * C, dwOff);
            }
            dev.get(k, dx);
            dev.get(k, dw);
        }
    }

    /** z (rows, V) = x[r0 ..] (rows, C) . w^T (w stored (V, C)). */
    private void logits(int xOff, int wOff, int r0, int rows, int C, int V) {
        product(HeadKernel.LOGITS, rows, C, V, 0, 1, xOff + r0 * C, wOff, 0);
    }

    private void product(int mode, int M, int K, int N, int transA, int transB, int aOff, int bOff, int outOff) {
        HeadKernel k = kernel;
        k.mode = mode;
        k.M = M;
        k.K = K;
        k.N = N;
        k.transA = transA;
        k.transB = transB;
        k.aOff = aOff;
        k.bOff = bOff;
        k.outOff = outOff;
        k.shareB = 0;
        k.accumulate = 0;
        dev.launch(k, dev.matmulRange(M, N, 1));
    }

    /** The loss rows of one chunk: rows r0 .. r0 + rows of the outputs and inputs, z and dz from their start. */
    private void chunkRows(int lossesOff, int lseOff, int dlossesOff, int targetsOff, int r0, int rows) {
        HeadKernel k = kernel;
        k.zOff = 0;
        k.dzOff = 0;
        k.lossesOff = lossesOff + r0;
        k.lseOff = lseOff + r0;
        k.dlossesOff = dlossesOff + r0;
        k.targetsOff = targetsOff + r0;
        k.rows = rows;
    }

    private void bindScratch(int n) {
        if (z.length < n) {
            z = new float[n];
            dz = new float[n];
        }
        clear();
        kernel.z = z;
        kernel.dz = dz;
    }

    /** Every array field to its placeholder, the scratch excepted (so that its device buffers stay). */
    private void clear() {
        HeadKernel k = kernel;
        k.h = k.w = k.dh = k.dw = k.losses = k.lse = k.dlosses = NONE;
        k.z = z;
        k.dz = dz;
        k.targets = NO_TARGETS;
        k.a = k.b = k.out = NONE; // MatmulKernel's own operands, which this kernel's overrides never read
    }

    private void setLoss(float[] losses, int lossesOff, float[] lse, int lseOff, int[] targets, int targetsOff,
                         int rows, int V, int ignoreIndex) {
        HeadKernel k = kernel;
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
