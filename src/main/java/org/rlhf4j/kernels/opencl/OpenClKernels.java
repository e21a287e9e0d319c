package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.LinkedHashSet;
import org.rlhf4j.kernels.BackendUnavailableException;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;
import com.aparapi.internal.kernel.KernelManager;

/**
 * The {@link Kernels} contract on an OpenCL device through Aparapi. The ops listed in
 * {@link #ON_DEVICE} run as OpenCL kernels; every other op is handed to the CPU kernels
 * ({@link Backends#createCpu}: SIMD where the Vector API is present, else the scalar reference), so
 * the family is always complete. {@link #DELEGATED} counts those.
 *
 * <p>Transfers are explicit ({@link Kernel#setExplicit}): before a launch every array the kernel reads
 * is put on the device, after it every array it wrote is fetched back, because the contract hands
 * over plain Java arrays that the caller may read or change between any two calls. Aparapi keeps
 * one device buffer per Java array and kernel, so the buffers themselves are reused across calls
 * with the same arrays (the weights, the activations of a training step); the copies are not. Every
 * copy is counted in {@link #transfers()}.
 *
 * <p>Every launch is checked to have run on the OpenCL device: when Aparapi falls back to its Java
 * thread pool (it cannot translate a kernel, or the device refused it) the op throws
 * {@link BackendUnavailableException} instead of silently running slow Java.
 *
 * <p>Thread safety: launches of one kernel object are serialised (Aparapi's execute is synchronized,
 * and the field assignments before it are done under the same lock).
 */
public final class OpenClKernels implements Kernels {

    /**
     * The ops that run as OpenCL kernels; {@code unary(GELU)} means the op runs on the device for
     * GELU and on the CPU for the other unary functions. An op also goes to the CPU when one array is
     * passed both as an input and as an output (Aparapi would give each field its own device buffer),
     * and for degenerate shapes (an empty axis: OpenCL refuses zero-sized buffers).
     */
    public static final java.util.List<String> ON_DEVICE = java.util.List.of("matmul",
            "softmaxForward", "softmaxBackward", "logSoftmaxForward", "logSoftmaxBackward",
            "crossEntropyForward", "crossEntropyBackward", "layerNormForward", "layerNormBackward",
            "unary(GELU)", "unaryBackward(GELU)");
    /** How many of the contract's 25 ops always go to the CPU kernels (unary and unaryBackward not counted). */
    public static final int DELEGATED = 25 - ON_DEVICE.size();
    /** Work items per group of the one-dimensional kernels. */
    private static final int GROUP = 64;
    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];
    private static final int[] NO_INTS = new int[1];

    private final Parallel parallel;
    private final Kernels cpu;
    private final OpenCLDevice device;
    private final TransferStats stats = new TransferStats();
    private final MatmulKernel matmul = new MatmulKernel();
    private final SoftmaxKernel softmax = new SoftmaxKernel();
    private final CrossEntropyKernel crossEntropy = new CrossEntropyKernel();
    private final LayerNormKernel layerNorm = new LayerNormKernel();
    private final GeluKernel gelu = new GeluKernel();
    private volatile Kernel lastLaunched;

    /** On the device {@code -Drlhf4j.opencl.device} chooses (default: the first GPU, else the first device). */
    public OpenClKernels(Parallel parallel) {
        this(parallel, OpenClDevices.choose());
    }

    OpenClKernels(Parallel parallel, OpenCLDevice device) {
        if (parallel == null) {
            throw new IllegalArgumentException("parallel must not be null");
        }
        this.parallel = parallel;
        this.cpu = Backends.createCpu(parallel);
        this.device = device;
        for (Kernel k : new Kernel[] {matmul, softmax, crossEntropy, layerNorm, gelu}) {
            prepare(k);
        }
    }

    private void prepare(Kernel k) {
        k.setExplicit(true);
        LinkedHashSet<com.aparapi.device.Device> only = new LinkedHashSet<>();
        only.add(device);
        KernelManager.instance().setPreferredDevices(k, only);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /** The CPU kernels the ops not in {@link #ON_DEVICE} go to. */
    public Kernels cpu() {
        return cpu;
    }

    /** The device the kernels run on: platform, name, compute units. */
    public String deviceDescription() {
        return device.getOpenCLPlatform().getName().trim() + " / " + device.getName().trim() + " ("
                + device.getMaxComputeUnits() + " compute units)";
    }

    /** The device's name, as OpenCL gives it. */
    public String deviceName() {
        return device.getName().trim();
    }

    /** Host-device copies and launches so far. */
    public TransferStats transfers() {
        return stats;
    }

    /**
     * True when the last kernel launched ran on an OpenCL device (Aparapi's {@code isRunningCL}), not
     * on its Java fallback; false before the first launch.
     */
    public boolean ranOnOpenCl() {
        Kernel k = lastLaunched;
        return k != null && k.isRunningCL() && k.getTargetDevice() instanceof OpenCLDevice;
    }

    // ------------------------------------------------------------------------------------------
    // launches and transfers
    // ------------------------------------------------------------------------------------------

    private void put(Kernel k, float[] x) {
        k.put(x);
        stats.put(4L * x.length);
    }

    private void put(Kernel k, int[] x) {
        k.put(x);
        stats.put(4L * x.length);
    }

    private void get(Kernel k, float[] x) {
        k.get(x);
        stats.get(4L * x.length);
    }

    /** Runs k over range on the device, or throws when Aparapi ran it anywhere else. */
    private void launch(Kernel k, Range range) {
        try {
            k.execute(range);
        } catch (RuntimeException | AssertionError e) { // Aparapi's own checks after a failed device
            throw new BackendUnavailableException(k.getClass().getSimpleName() + " failed on the OpenCL device "
                    + deviceDescription() + ": " + e.getMessage() + " (Aparapi's log has the OpenCL compiler's"
                    + " message)", e);
        }
        stats.launch();
        lastLaunched = k;
        if (!k.isRunningCL()) {
            throw new BackendUnavailableException(k.getClass().getSimpleName() + " did not run on the OpenCL device "
                    + deviceDescription() + " but on " + k.getTargetDevice() + " (Aparapi's fallback; its log says"
                    + " why, e.g. a construct it cannot translate to OpenCL)");
        }
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** One work group of MatmulKernel.GROUP^2 items per MatmulKernel.BLOCK^2 block of each product's output. */
    private Range matmulRange(int M, int N, int batch) {
        int g = MatmulKernel.GROUP, blocks0 = (N + MatmulKernel.BLOCK - 1) / MatmulKernel.BLOCK;
        int blocks1 = (M + MatmulKernel.BLOCK - 1) / MatmulKernel.BLOCK;
        return Range.create3D(device, blocks0 * g, blocks1 * g, batch, g, g, 1);
    }

    /** A one-dimensional range of at least n items, in groups of GROUP. */
    private Range range(int n) {
        return Range.create(device, roundUp(n, GROUP), GROUP);
    }

    /** True when an output array is also one of the inputs: such a call goes to the CPU kernels. */
    private static boolean aliased(float[][] outputs, float[]... inputs) {
        for (float[] o : outputs) {
            for (float[] i : inputs) {
                if (o == i) {
                    return true;
                }
            }
        }
        for (int x = 0; x < outputs.length; x++) {
            for (int y = x + 1; y < outputs.length; y++) {
                if (outputs[x] == outputs[y]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static float[][] outs(float[]... outputs) {
        return outputs;
    }

    // ------------------------------------------------------------------------------------------
    // on the device
    // ------------------------------------------------------------------------------------------

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        if (batch == 0 || M == 0 || N == 0) {
            return;
        }
        if (K == 0 || aliased(outs(out), a, b)) { // K = 0: A and B may be empty arrays, which OpenCL refuses
            cpu.matmul(out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
            return;
        }
        MatmulKernel k = matmul;
        synchronized (k) {
            k.out = out;
            k.a = a;
            k.b = b;
            k.outOff = outOff;
            k.aOff = aOff;
            k.bOff = bOff;
            k.M = M;
            k.K = K;
            k.N = N;
            k.transA = transA ? 1 : 0;
            k.transB = transB ? 1 : 0;
            k.shareB = shareB ? 1 : 0;
            k.accumulate = accumulate ? 1 : 0;
            put(k, a);
            put(k, b);
            put(k, out); // get() copies the whole array back: what lies outside this product must be there too
            launch(k, matmulRange(M, N, batch));
            get(k, out);
            k.out = k.a = k.b = NONE; // the kernel does not keep the caller's arrays alive
        }
    }

    /**
     * For the benchmark: the best time in seconds of one launch of the (non-batched) product kernel
     * on operands already on the device, over about {@code budgetSeconds} of launches: the kernel's
     * speed without the copies ({@link #matmul} with them is the other figure). Copies the operands
     * once before and the result once after, and leaves {@code out = op(A) op(B)}.
     */
    public double matmulKernelSeconds(float[] out, float[] a, float[] b, int M, int K, int N,
                                      boolean transA, boolean transB, double budgetSeconds) {
        MatmulKernel k = matmul;
        synchronized (k) {
            matmul(out, 0, a, 0, b, 0, 1, M, K, N, transA, transB, false, false); // compiles, binds, fills buffers
            k.out = out;
            k.a = a;
            k.b = b;
            k.outOff = k.aOff = k.bOff = 0;
            k.M = M;
            k.K = K;
            k.N = N;
            k.transA = transA ? 1 : 0;
            k.transB = transB ? 1 : 0;
            k.shareB = 0;
            k.accumulate = 0;
            Range range = matmulRange(M, N, 1);
            double best = Double.MAX_VALUE;
            long end = System.nanoTime() + (long) (budgetSeconds * 1e9);
            do {
                long t0 = System.nanoTime();
                launch(k, range);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            } while (System.nanoTime() < end);
            get(k, out);
            k.out = k.a = k.b = NONE;
            return best;
        }
    }

    // ------------------------------------------------------------------------------------------
    // handed to the CPU kernels
    // ------------------------------------------------------------------------------------------

    @Override
    public void binary(Binary op, float[] out, int outOff, float[] a, int aOff, int[] aStrides,
                       float[] b, int bOff, int[] bStrides, int[] shape) {
        cpu.binary(op, out, outOff, a, aOff, aStrides, b, bOff, bStrides, shape);
    }

    @Override
    public void binaryBackward(Binary op, boolean wrtA, float[] dx, int dxOff, float[] dout, int doutOff,
                               float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, int[] shape) {
        cpu.binaryBackward(op, wrtA, dx, dxOff, dout, doutOff, a, aOff, aStrides, b, bOff, bStrides, shape);
    }

    @Override
    public void unary(Unary op, float p, float q, float[] out, int outOff, float[] in, int inOff, int n) {
        if (op != Unary.GELU || n == 0 || aliased(outs(out), in)) {
            cpu.unary(op, p, q, out, outOff, in, inOff, n);
            return;
        }
        geluLaunch(GeluKernel.FORWARD, out, outOff, in, inOff, NONE, 0, NONE, 0, n);
    }

    @Override
    public void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] out, int outOff, int n) {
        if (op != Unary.GELU || n == 0 || aliased(outs(dinp), dout, inp)) {
            cpu.unaryBackward(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff, n);
            return;
        }
        geluLaunch(GeluKernel.BACKWARD, NONE, 0, inp, inpOff, dinp, dinpOff, dout, doutOff, n);
    }

    private void geluLaunch(int mode, float[] out, int outOff, float[] in, int inOff, float[] dinp, int dinpOff,
                            float[] dout, int doutOff, int n) {
        GeluKernel k = gelu;
        synchronized (k) {
            k.mode = mode;
            k.out = out;
            k.outOff = outOff;
            k.in = in;
            k.inOff = inOff;
            k.dinp = dinp;
            k.dinpOff = dinpOff;
            k.dout = dout;
            k.doutOff = doutOff;
            k.n = n;
            put(k, in);
            if (mode == GeluKernel.FORWARD) {
                put(k, out);
            } else {
                put(k, dout);
                put(k, dinp);
            }
            launch(k, range(n));
            get(k, mode == GeluKernel.FORWARD ? out : dinp);
            k.out = k.in = k.dinp = k.dout = NONE;
        }
    }

    @Override
    public void where(float[] out, int outOff, float[] cond, int condOff, int[] condStrides,
                      float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, int[] shape) {
        cpu.where(out, outOff, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, shape);
    }

    @Override
    public void copyStrided(float[] out, int outOff, float[] in, int inOff, int[] inStrides, int[] shape) {
        cpu.copyStrided(out, outOff, in, inOff, inStrides, shape);
    }

    @Override
    public void accumulateStrided(float[] out, int outOff, int[] outStrides, float[] in, int inOff, int[] shape) {
        cpu.accumulateStrided(out, outOff, outStrides, in, inOff, shape);
    }

    @Override
    public void addScaled(float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        cpu.addScaled(dst, dstOff, src, srcOff, alpha, n);
    }

    @Override
    public void fill(float[] out, int outOff, float value, int n) {
        cpu.fill(out, outOff, value, n);
    }

    @Override
    public void sumAxis(float[] out, int outOff, float[] in, int inOff, int outer, int n, int inner) {
        cpu.sumAxis(out, outOff, in, inOff, outer, n, inner);
    }

    @Override
    public void sumAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int outer, int n, int inner) {
        cpu.sumAxisBackward(dinp, dinpOff, dout, doutOff, outer, n, inner);
    }

    @Override
    public void maxAxis(float[] out, int outOff, int[] argmax, int argmaxOff, float[] in, int inOff,
                        int outer, int n, int inner) {
        cpu.maxAxis(out, outOff, argmax, argmaxOff, in, inOff, outer, n, inner);
    }

    @Override
    public void maxAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                                int outer, int n, int inner) {
        cpu.maxAxisBackward(dinp, dinpOff, dout, doutOff, argmax, argmaxOff, outer, n, inner);
    }

    @Override
    public void softmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(out), inp)) {
            cpu.softmaxForward(out, outOff, inp, inpOff, rows, cols);
            return;
        }
        softmaxLaunch(SoftmaxKernel.SOFTMAX, out, outOff, inp, inpOff, NONE, 0, NONE, 0, rows, cols);
    }

    @Override
    public void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(dinp), dout, out)) {
            cpu.softmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
            return;
        }
        softmaxLaunch(SoftmaxKernel.SOFTMAX_BACKWARD, out, outOff, NONE, 0, dinp, dinpOff, dout, doutOff, rows, cols);
    }

    @Override
    public void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(out), inp)) {
            cpu.logSoftmaxForward(out, outOff, inp, inpOff, rows, cols);
            return;
        }
        softmaxLaunch(SoftmaxKernel.LOG_SOFTMAX, out, outOff, inp, inpOff, NONE, 0, NONE, 0, rows, cols);
    }

    @Override
    public void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                   int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(dinp), dout, out)) {
            cpu.logSoftmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
            return;
        }
        softmaxLaunch(SoftmaxKernel.LOG_SOFTMAX_BACKWARD, out, outOff, NONE, 0, dinp, dinpOff, dout, doutOff, rows, cols);
    }

    /** Forward modes read inp and write out; backward modes read out and dout and accumulate into dinp. */
    private void softmaxLaunch(int mode, float[] out, int outOff, float[] inp, int inpOff, float[] dinp, int dinpOff,
                               float[] dout, int doutOff, int rows, int cols) {
        boolean forward = mode == SoftmaxKernel.SOFTMAX || mode == SoftmaxKernel.LOG_SOFTMAX;
        SoftmaxKernel k = softmax;
        synchronized (k) {
            k.mode = mode;
            k.out = out;
            k.inp = inp;
            k.dinp = dinp;
            k.dout = dout;
            k.outOff = outOff;
            k.inpOff = inpOff;
            k.dinpOff = dinpOff;
            k.doutOff = doutOff;
            k.rows = rows;
            k.cols = cols;
            k.negInf = Float.NEGATIVE_INFINITY;
            if (forward) {
                put(k, inp);
                put(k, out); // the window's neighbours come back with get()
            } else {
                put(k, out);
                put(k, dout);
                put(k, dinp);
            }
            launch(k, range(rows));
            get(k, forward ? out : dinp);
            k.out = k.inp = k.dinp = k.dout = NONE;
        }
    }

    @Override
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        if (rows == 0 || aliased(outs(losses, lse), logits)) {
            cpu.crossEntropyForward(losses, lossesOff, lse, lseOff, logits, logitsOff, targets, targetsOff, rows, V, ignoreIndex);
            return;
        }
        checkTargets("crossEntropy", targets, targetsOff, rows, V, ignoreIndex);
        CrossEntropyKernel k = crossEntropy;
        synchronized (k) {
            setCrossEntropy(k, CrossEntropyKernel.FORWARD, losses, lossesOff, lse, lseOff, logits, logitsOff,
                    NONE, 0, NONE, 0, targets, targetsOff, rows, V, ignoreIndex);
            put(k, logits);
            put(k, targets);
            put(k, losses);
            put(k, lse);
            launch(k, range(rows));
            get(k, losses);
            get(k, lse);
            k.losses = k.lse = k.logits = k.dlogits = k.dlosses = NONE;
            k.targets = NO_INTS;
        }
    }

    @Override
    public void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        if (rows == 0 || V == 0 || (long) rows * V > Integer.MAX_VALUE - GROUP
                || aliased(outs(dlogits), dlosses, logits, lse)) {
            cpu.crossEntropyBackward(dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff, lse, lseOff,
                    targets, targetsOff, rows, V, ignoreIndex);
            return;
        }
        checkTargets("crossEntropy backward", targets, targetsOff, rows, V, ignoreIndex);
        CrossEntropyKernel k = crossEntropy;
        synchronized (k) {
            setCrossEntropy(k, CrossEntropyKernel.BACKWARD, NONE, 0, lse, lseOff, logits, logitsOff,
                    dlogits, dlogitsOff, dlosses, dlossesOff, targets, targetsOff, rows, V, ignoreIndex);
            put(k, logits);
            put(k, lse);
            put(k, dlosses);
            put(k, targets);
            put(k, dlogits);
            launch(k, range(rows * V));
            get(k, dlogits);
            k.losses = k.lse = k.logits = k.dlogits = k.dlosses = NONE;
            k.targets = NO_INTS;
        }
    }

    private static void setCrossEntropy(CrossEntropyKernel k, int mode, float[] losses, int lossesOff, float[] lse,
                                        int lseOff, float[] logits, int logitsOff, float[] dlogits, int dlogitsOff,
                                        float[] dlosses, int dlossesOff, int[] targets, int targetsOff,
                                        int rows, int V, int ignoreIndex) {
        k.mode = mode;
        k.losses = losses;
        k.lossesOff = lossesOff;
        k.lse = lse;
        k.lseOff = lseOff;
        k.logits = logits;
        k.logitsOff = logitsOff;
        k.dlogits = dlogits;
        k.dlogitsOff = dlogitsOff;
        k.dlosses = dlosses;
        k.dlossesOff = dlossesOff;
        k.targets = targets;
        k.targetsOff = targetsOff;
        k.rows = rows;
        k.V = V;
        k.ignoreIndex = ignoreIndex;
        k.negInf = Float.NEGATIVE_INFINITY;
    }

    /** The reference's check, on the host: a kernel cannot throw. */
    private static void checkTargets(String op, int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        for (int r = 0; r < rows; r++) {
            int t = targets[targetsOff + r];
            if (t != ignoreIndex && (t < 0 || t >= V)) {
                throw new IndexOutOfBoundsException(op + ": target " + t + " at row " + r
                        + " is outside [0, " + V + ") and is not the ignore index " + ignoreIndex);
            }
        }
    }

    @Override
    public void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                                 float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                                 int N, int C, float eps) {
        if (N == 0 || C == 0 || aliased(outs(out, mean, rstd), inp, weight, bias)) { // C = 0: the reference's NaNs
            cpu.layerNormForward(out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff, weight, weightOff,
                    bias, biasOff, N, C, eps);
            return;
        }
        LayerNormKernel k = layerNorm;
        synchronized (k) {
            setLayerNorm(k, LayerNormKernel.FORWARD, inp, inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
            k.out = out;
            k.outOff = outOff;
            k.bias = bias;
            k.biasOff = biasOff;
            k.eps = eps;
            put(k, inp);
            put(k, weight);
            put(k, bias);
            put(k, out);
            put(k, mean);
            put(k, rstd);
            launch(k, range(N));
            get(k, out);
            get(k, mean);
            get(k, rstd);
            clear(k);
        }
    }

    @Override
    public void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                                  float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                                  float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        if (N == 0 || C == 0 || aliased(outs(dinp, dweight, dbias), dout, inp, weight, mean, rstd)) {
            cpu.layerNormBackward(dinp, dinpOff, dweight, dweightOff, dbias, dbiasOff, dout, doutOff, inp, inpOff,
                    weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
            return;
        }
        LayerNormKernel k = layerNorm;
        synchronized (k) {
            setLayerNorm(k, LayerNormKernel.BACKWARD_INPUT, inp, inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
            k.dinp = dinp;
            k.dinpOff = dinpOff;
            k.dweight = dweight;
            k.dweightOff = dweightOff;
            k.dbias = dbias;
            k.dbiasOff = dbiasOff;
            k.dout = dout;
            k.doutOff = doutOff;
            put(k, inp);
            put(k, weight);
            put(k, mean);
            put(k, rstd);
            put(k, dout);
            put(k, dinp);
            put(k, dweight);
            put(k, dbias);
            // 1. dinp, row by row  2. dweight and dbias, column by column (the inputs stay on the device)
            launch(k, range(N));
            k.mode = LayerNormKernel.BACKWARD_PARAMS;
            launch(k, range(C));
            get(k, dinp);
            get(k, dweight);
            get(k, dbias);
            clear(k);
        }
    }

    private static void setLayerNorm(LayerNormKernel k, int mode, float[] inp, int inpOff, float[] weight, int weightOff,
                                     float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        clear(k);
        k.mode = mode;
        k.inp = inp;
        k.inpOff = inpOff;
        k.weight = weight;
        k.weightOff = weightOff;
        k.mean = mean;
        k.meanOff = meanOff;
        k.rstd = rstd;
        k.rstdOff = rstdOff;
        k.N = N;
        k.C = C;
    }

    private static void clear(LayerNormKernel k) {
        k.out = k.mean = k.rstd = k.inp = k.weight = k.bias = k.dinp = k.dweight = k.dbias = k.dout = NONE;
    }

    @Override
    public void embeddingForward(float[] out, int outOff, float[] table, int tableOff, int[] ids, int idsOff,
                                 int N, int V, int C) {
        cpu.embeddingForward(out, outOff, table, tableOff, ids, idsOff, N, V, C);
    }

    @Override
    public void embeddingBackward(float[] dtable, int dtableOff, float[] dout, int doutOff, int[] ids, int idsOff,
                                  int N, int V, int C) {
        cpu.embeddingBackward(dtable, dtableOff, dout, doutOff, ids, idsOff, N, V, C);
    }

    @Override
    public void dropoutForward(float[] out, int outOff, float[] mask, int maskOff, float[] inp, int inpOff,
                               int n, float p, long seed) {
        cpu.dropoutForward(out, outOff, mask, maskOff, inp, inpOff, n, p, seed);
    }
}
