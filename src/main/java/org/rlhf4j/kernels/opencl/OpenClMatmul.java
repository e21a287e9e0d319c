package org.rlhf4j.kernels.opencl;

import com.aparapi.Range;
import org.rlhf4j.kernels.Backends;

/**
 * The launches of {@link MatmulKernel} for {@link OpenClKernels#matmul}, once that has sent degenerate shapes and
 * aliased arrays to the CPU: A and B up, out down (and up too when accumulating or writing a window), in blocks of
 * 64 x 64 or, with {@code -Drlhf4j.opencl.matmulBlock=128}, 128 x 128 outputs per work group. Launches are
 * serialised on the kernel.
 */
final class OpenClMatmul {

    private final Launcher dev;
    private final MatmulKernel kernel;
    private final boolean wide;

    /** Products in blocks of {@code block} (64 or 128) square. */
    OpenClMatmul(Launcher dev, int block) {
        if (block != MatmulKernel.BLOCK && block != WideMatmulKernel.WIDE_BLOCK) {
            throw new IllegalArgumentException("-D" + Backends.OPENCL_MATMUL_BLOCK_PROPERTY + "=" + block
                    + ": expected " + MatmulKernel.BLOCK + " or " + WideMatmulKernel.WIDE_BLOCK);
        }
        this.dev = dev;
        this.wide = block == WideMatmulKernel.WIDE_BLOCK;
        this.kernel = wide ? new WideMatmulKernel() : new MatmulKernel();
        dev.prepare(kernel);
    }

    /** {@code -Drlhf4j.opencl.matmulBlock}, 64 when unset. */
    static int blockProperty() {
        String v = System.getProperty(Backends.OPENCL_MATMUL_BLOCK_PROPERTY);
        if (v == null || v.isBlank()) {
            return MatmulKernel.BLOCK;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + Backends.OPENCL_MATMUL_BLOCK_PROPERTY + "=" + v + ": expected "
                    + MatmulKernel.BLOCK + " or " + WideMatmulKernel.WIDE_BLOCK, e);
        }
    }

    int block() {
        return wide ? WideMatmulKernel.WIDE_BLOCK : MatmulKernel.BLOCK;
    }

    /** out (+)= op(A) op(B) on the device, as {@link OpenClKernels#matmul} specifies. */
    void run(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int batch, int M, int K, int N,
             boolean transA, boolean transB, boolean shareB, boolean accumulate) {
        MatmulKernel k = kernel;
        synchronized (k) {
            set(k, out, outOff, a, aOff, b, bOff, M, K, N, transA, transB, shareB, accumulate);
            dev.put(k, a);
            dev.put(k, b);
            dev.putUnlessOverwritten(k, out, outOff, batch * M * N, accumulate);
            dev.launch(k, dev.matmulRange(M, N, batch, block()));
            dev.get(k, out);
        }
    }

    /**
     * For the benchmark: the best time in seconds of one launch of the (non-batched) product kernel on operands
     * already on the device, over about {@code budgetSeconds} of launches: the kernel's speed without the copies
     * ({@link #run} with them is the other figure). Copies the operands once before and the result once after, and
     * leaves {@code out = op(A) op(B)}. A and B must be distinct arrays.
     */
    double kernelSeconds(float[] out, float[] a, float[] b, int M, int K, int N, boolean transA, boolean transB,
                         double budgetSeconds) {
        MatmulKernel k = kernel;
        synchronized (k) {
            run(out, 0, a, 0, b, 0, 1, M, K, N, transA, transB, false, false); // compiles, binds, fills buffers
            set(k, out, 0, a, 0, b, 0, M, K, N, transA, transB, false, false);
            Range range = dev.matmulRange(M, N, 1, block());
            double best = Double.MAX_VALUE;
            long end = System.nanoTime() + (long) (budgetSeconds * 1e9);
            do {
                long t0 = System.nanoTime();
                dev.launch(k, range);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            } while (System.nanoTime() < end);
            dev.get(k, out);
            return best;
        }
    }

    private void set(MatmulKernel k, float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int M, int K,
                     int N, boolean transA, boolean transB, boolean shareB, boolean accumulate) {
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
    }
}
