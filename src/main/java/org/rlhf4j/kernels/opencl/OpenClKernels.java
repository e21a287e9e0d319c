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

    /** The ops that run as OpenCL kernels. */
    public static final java.util.List<String> ON_DEVICE = java.util.List.of("matmul");
    /** How many of the contract's 25 ops are handed to the CPU kernels. */
    public static final int DELEGATED = 25 - ON_DEVICE.size();

    private final Parallel parallel;
    private final Kernels cpu;
    private final OpenCLDevice device;
    private final TransferStats stats = new TransferStats();
    private final MatmulKernel matmul = new MatmulKernel();
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
        prepare(matmul);
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
        k.execute(range);
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
            int t = MatmulKernel.TILE;
            launch(k, Range.create3D(device, roundUp(N, t), roundUp(M, t), batch, t, t, 1));
            get(k, out);
            k.out = k.a = k.b = null; // the kernel does not keep the caller's arrays alive
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
            int t = MatmulKernel.TILE;
            Range range = Range.create3D(device, roundUp(N, t), roundUp(M, t), 1, t, t, 1);
            double best = Double.MAX_VALUE;
            long end = System.nanoTime() + (long) (budgetSeconds * 1e9);
            do {
                long t0 = System.nanoTime();
                launch(k, range);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            } while (System.nanoTime() < end);
            get(k, out);
            k.out = k.a = k.b = null;
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
        cpu.unary(op, p, q, out, outOff, in, inOff, n);
    }

    @Override
    public void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] out, int outOff, int n) {
        cpu.unaryBackward(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff, n);
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
        cpu.softmaxForward(out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                int rows, int cols) {
        cpu.softmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        cpu.logSoftmaxForward(out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                   int rows, int cols) {
        cpu.logSoftmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        cpu.crossEntropyForward(losses, lossesOff, lse, lseOff, logits, logitsOff, targets, targetsOff, rows, V, ignoreIndex);
    }

    @Override
    public void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        cpu.crossEntropyBackward(dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff, lse, lseOff,
                targets, targetsOff, rows, V, ignoreIndex);
    }

    @Override
    public void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                                 float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                                 int N, int C, float eps) {
        cpu.layerNormForward(out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff, weight, weightOff, bias, biasOff, N, C, eps);
    }

    @Override
    public void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                                  float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                                  float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        cpu.layerNormBackward(dinp, dinpOff, dweight, dweightOff, dbias, dbiasOff, dout, doutOff, inp, inpOff,
                weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
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
