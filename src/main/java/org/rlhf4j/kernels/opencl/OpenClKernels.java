package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import org.rlhf4j.kernels.BackendUnavailableException;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;

/**
 * The {@link Kernels} contract on an OpenCL device through Aparapi. The ops listed in
 * {@link #ON_DEVICE} run as OpenCL kernels; every other op is handed to the CPU kernels
 * ({@link Backends#createCpu}: SIMD where the Vector API is present, else the scalar reference), so
 * the family is always complete. {@link #DELEGATED} counts those.
 *
 * <p>Transfers are explicit ({@link Kernel#setExplicit}): before a launch every array the kernel reads
 * is put on the device, after it every array it wrote is fetched back, because the contract hands
 * over plain Java arrays that the caller may read or change between any two calls. Aparapi keeps
 * one device buffer per kernel argument and keeps it while the same Java array is bound to that
 * argument, so the fields keep their last arrays after a call: a call that passes the same array
 * again (a weight used by consecutive products) finds its buffer allocated; the copies are made
 * all the same. An array bound anew is not put: its new buffer is filled from it. Every copy is counted
 * in {@link #transfers()}. Where the device holds its own buffers ({@link #bufferMode()}) is chosen by
 * {@code -Drlhf4j.opencl.buffers} (docs/gpu.md, "Transfers").
 *
 * <p>Every launch is checked to have run on the OpenCL device: when Aparapi falls back to its Java
 * thread pool (it cannot translate a kernel, or the device refused it) the op throws
 * {@link BackendUnavailableException} instead of silently running slow Java.
 *
 * <p>Thread safety: launches of one kernel object are serialised (Aparapi's execute is synchronized,
 * and the field assignments before it are done under the same lock).
 */
public final class OpenClKernels extends DelegatingKernels {

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
    /**
     * Ops the contract gives a default composition of other ops, which OpenClKernels runs as one launch or two
     * on the device instead (the default would run its products on the device and the rest on the CPU, with
     * a copy each way per piece).
     */
    public static final java.util.List<String> FUSED_ON_DEVICE = java.util.List.of("attentionForward",
            "attentionBackward", "linearCrossEntropyForward", "linearCrossEntropyBackward");
    /** How many of the contract's 25 ops always go to the CPU kernels (unary and unaryBackward not counted). */
    public static final int DELEGATED = 25 - ON_DEVICE.size();
    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];

    private final Launcher dev;
    private final OpenClMatmul matmulOps;
    private final OpenClRows rowOps;
    private final OpenClAttention attention;
    private final OpenClHead head;

    /** On the device {@code -Drlhf4j.opencl.device} chooses (default: the first GPU, else the first device). */
    public OpenClKernels(Parallel parallel) {
        this(parallel, OpenClDevices.choose());
    }

    OpenClKernels(Parallel parallel, OpenCLDevice device) {
        this(parallel, device, OpenClHead.MAX_GROUPS);
    }

    /** With the fused head's launches capped at {@code headGroups} work groups (tests make it 1 or 2). */
    OpenClKernels(Parallel parallel, OpenCLDevice device, int headGroups) {
        this(parallel, device, headGroups,
                BufferMode.resolve(System.getProperty(Backends.OPENCL_BUFFERS_PROPERTY)));
    }

    /** With the buffers made in {@code buffers} mode (tests run PoCL in both). */
    OpenClKernels(Parallel parallel, OpenCLDevice device, int headGroups, BufferMode buffers) {
        this(parallel, device, headGroups, buffers, OpenClMatmul.blockProperty());
    }

    /** With the products' blocks {@code matmulBlock} square (64 or 128: 4 x 4 or 8 x 8 outputs per work item). */
    OpenClKernels(Parallel parallel, OpenCLDevice device, int headGroups, BufferMode buffers, int matmulBlock) {
        super(Backends.createCpu(parallel));
        SignalChaining.warnIfMissing();
        this.dev = new Launcher(device, buffers);
        this.matmulOps = new OpenClMatmul(dev, matmulBlock);
        this.rowOps = new OpenClRows(dev);
        this.attention = new OpenClAttention(dev);
        this.head = new OpenClHead(dev, headGroups);
    }

    @Override
    public String name() {
        return "opencl";
    }

    /** The side of the block of a product's output one work group computes: 64 (the default) or 128. */
    public int matmulBlock() {
        return matmulOps.block();
    }

    /** The CPU kernels the ops not in {@link #ON_DEVICE} go to. */
    public Kernels cpu() {
        return cpu;
    }

    /** The device the kernels run on: platform, name, compute units. */
    public String deviceDescription() {
        return dev.description();
    }

    /**
     * How the device holds the arrays: {@code copy} (a buffer of its own, filled from the Java array when made) or
     * {@code share} (the Java array's memory), as {@code -Drlhf4j.opencl.buffers} chose (auto: copy, on every device).
     */
    public String bufferMode() {
        return dev.buffers().label();
    }

    /** The device's name, as OpenCL gives it. */
    public String deviceName() {
        return dev.name();
    }

    /** Host-device copies and launches so far. */
    public TransferStats transfers() {
        return dev.stats;
    }

    /**
     * True when the last kernel launched ran on an OpenCL device (Aparapi's {@code isRunningCL}), not
     * on its Java fallback; false before the first launch.
     */
    public boolean ranOnOpenCl() {
        return dev.ranOnOpenCl();
    }

    /**
     * True when one array is passed twice: as two outputs, as an output and an input, or as two inputs. Such a call
     * goes to the CPU kernels. Aparapi gives each field a device buffer of its own, and an explicit put reaches only
     * the first field that holds the array (its KernelRunner takes the array off its list of puts there), so a
     * second field holding it would keep a stale buffer.
     */
    private static boolean aliased(float[][] outputs, float[]... inputs) {
        float[][] all = new float[outputs.length + inputs.length][];
        System.arraycopy(outputs, 0, all, 0, outputs.length);
        System.arraycopy(inputs, 0, all, outputs.length, inputs.length);
        for (int x = 0; x < all.length; x++) {
            for (int y = x + 1; y < all.length; y++) {
                if (all[x] == all[y]) {
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
        if (a == b && K > 0 && out != a) {
            b = a.clone(); // one array as both operands (x·xᵀ, q·kᵀ from one qkv array): see aliased()
        }
        if (K == 0 || aliased(outs(out), a, b)) { // K = 0: A and B may be empty arrays, which OpenCL refuses
            cpu.matmul(out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
            return;
        }
        matmulOps.run(out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
    }

    /**
     * For the benchmark: the best time in seconds of one launch of the (non-batched) product kernel
     * on operands already on the device, over about {@code budgetSeconds} of launches: the kernel's
     * speed without the copies ({@link #matmul} with them is the other figure). Copies the operands
     * once before and the result once after, and leaves {@code out = op(A) op(B)}.
     */
    public double matmulKernelSeconds(float[] out, float[] a, float[] b, int M, int K, int N,
                                      boolean transA, boolean transB, double budgetSeconds) {
        return matmulOps.kernelSeconds(out, a, a == b ? b.clone() : b, M, K, N, transA, transB, budgetSeconds);
    }

    @Override
    public void softmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(out), inp)) {
            cpu.softmaxForward(out, outOff, inp, inpOff, rows, cols);
            return;
        }
        rowOps.softmax(SoftmaxKernel.SOFTMAX, out, outOff, inp, inpOff, NONE, 0, NONE, 0, rows, cols);
    }

    @Override
    public void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(dinp), dout, out)) {
            cpu.softmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
            return;
        }
        rowOps.softmax(SoftmaxKernel.SOFTMAX_BACKWARD, out, outOff, NONE, 0, dinp, dinpOff, dout, doutOff, rows, cols);
    }

    @Override
    public void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(out), inp)) {
            cpu.logSoftmaxForward(out, outOff, inp, inpOff, rows, cols);
            return;
        }
        rowOps.softmax(SoftmaxKernel.LOG_SOFTMAX, out, outOff, inp, inpOff, NONE, 0, NONE, 0, rows, cols);
    }

    @Override
    public void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                   int rows, int cols) {
        if (rows == 0 || cols == 0 || aliased(outs(dinp), dout, out)) {
            cpu.logSoftmaxBackward(dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
            return;
        }
        rowOps.softmax(SoftmaxKernel.LOG_SOFTMAX_BACKWARD, out, outOff, NONE, 0, dinp, dinpOff, dout, doutOff, rows, cols);
    }

    @Override
    public void unary(Unary op, float p, float q, float[] out, int outOff, float[] in, int inOff, int n) {
        if (op != Unary.GELU || n == 0 || aliased(outs(out), in)) {
            cpu.unary(op, p, q, out, outOff, in, inOff, n);
            return;
        }
        rowOps.gelu(GeluKernel.FORWARD, out, outOff, in, inOff, NONE, 0, NONE, 0, n);
    }

    @Override
    public void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] out, int outOff, int n) {
        if (op != Unary.GELU || n == 0 || aliased(outs(dinp), dout, inp)) {
            cpu.unaryBackward(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff, n);
            return;
        }
        rowOps.gelu(GeluKernel.BACKWARD, NONE, 0, inp, inpOff, dinp, dinpOff, dout, doutOff, n);
    }

    @Override
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        if (rows == 0 || aliased(outs(losses, lse), logits)) {
            cpu.crossEntropyForward(losses, lossesOff, lse, lseOff, logits, logitsOff, targets, targetsOff, rows, V, ignoreIndex);
            return;
        }
        head.crossEntropyForward(losses, lossesOff, lse, lseOff, logits, logitsOff, targets, targetsOff, rows, V,
                ignoreIndex);
    }

    @Override
    public void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        if (rows == 0 || V == 0 || (long) rows * V > Integer.MAX_VALUE - Launcher.GROUP
                || aliased(outs(dlogits), dlosses, logits, lse)) {
            cpu.crossEntropyBackward(dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff, lse, lseOff,
                    targets, targetsOff, rows, V, ignoreIndex);
            return;
        }
        head.crossEntropyBackward(dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff, lse, lseOff, targets,
                targetsOff, rows, V, ignoreIndex);
    }

    /**
     * On the device, with the logits kept there ({@link OpenClHead}); the chunk is at most
     * {@link Kernels#LINEAR_CROSS_ENTROPY_CHUNK_FLOATS} floats, as on the CPU. Never writes {@code saved}: copying
     * the logits down would cost what keeping them on the device saves; the backward recomputes them there.
     */
    @Override
    public boolean linearCrossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] x,
                                             int xOff, float[] w, int wOff, int[] targets, int targetsOff, int N, int C,
                                             int V, int ignoreIndex, int chunkRows, float[] saved) {
        if (N == 0 || C == 0 || V == 0 || aliased(outs(losses, lse), x, w)) {
            return cpu.linearCrossEntropyForward(losses, lossesOff, lse, lseOff, x, xOff, w, wOff, targets, targetsOff,
                    N, C, V, ignoreIndex, chunkRows, saved);
        }
        head.linearForward(losses, lossesOff, lse, lseOff, x, xOff, w, wOff, targets, targetsOff, N, C, V, ignoreIndex,
                Kernels.linearCrossEntropyRows(N, V, chunkRows));
        return false;
    }

    /** False: the logits stay on the device. */
    @Override
    public boolean keepsLinearCrossEntropyLogits() {
        return false;
    }

    /** On the device; recomputes the logits there, ignoring {@code saved} (never written by this family). */
    @Override
    public void linearCrossEntropyBackward(float[] dx, int dxOff, float[] dw, int dwOff, float[] dlosses, int dlossesOff,
                                           float[] x, int xOff, float[] w, int wOff, float[] lse, int lseOff,
                                           int[] targets, int targetsOff, int N, int C, int V, int ignoreIndex,
                                           int chunkRows, float[] saved) {
        if (N == 0 || C == 0 || V == 0 || aliased(outs(dx == null ? NONE : dx, dw == null ? NONE : dw), dlosses, x, w, lse)) {
            cpu.linearCrossEntropyBackward(dx, dxOff, dw, dwOff, dlosses, dlossesOff, x, xOff, w, wOff, lse, lseOff,
                    targets, targetsOff, N, C, V, ignoreIndex, chunkRows, saved);
            return;
        }
        head.linearBackward(dx, dxOff, dw, dwOff, dlosses, dlossesOff, x, xOff, w, wOff, lse, lseOff, targets,
                targetsOff, N, C, V, ignoreIndex, Kernels.linearCrossEntropyRows(N, V, chunkRows));
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
        rowOps.layerNormForward(out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff, weight, weightOff, bias, biasOff,
                N, C, eps);
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
        rowOps.layerNormBackward(dinp, dinpOff, dweight, dweightOff, dbias, dbiasOff, dout, doutOff, inp, inpOff, weight,
                weightOff, mean, meanOff, rstd, rstdOff, N, C);
    }

    @Override
    public void attentionForward(float[] out, int outOff, float[] probs, int probsOff, float[] qkv, int qkvOff,
                                 int B, int T, int NH, int HS, float scale) {
        if (B == 0 || T == 0 || NH == 0 || HS == 0 || (long) B * NH * T * T > Integer.MAX_VALUE - Launcher.GROUP
                || aliased(outs(out, probs), qkv)) {
            cpu.attentionForward(out, outOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
            return;
        }
        attention.forward(out, outOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
    }

    @Override
    public void attentionBackward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] probs, int probsOff,
                                  float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        if (B == 0 || T == 0 || NH == 0 || HS == 0 || (long) B * NH * T * T > Integer.MAX_VALUE - Launcher.GROUP
                || aliased(outs(dqkv), dout, probs, qkv)) {
            cpu.attentionBackward(dqkv, dqkvOff, dout, doutOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
            return;
        }
        attention.backward(dqkv, dqkvOff, dout, doutOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
    }
}
