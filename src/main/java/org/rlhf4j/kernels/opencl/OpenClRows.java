package org.rlhf4j.kernels.opencl;

/**
 * The launches of the row-wise kernels for {@link OpenClKernels}, once it has sent degenerate shapes and aliased
 * arrays to the CPU: {@link SoftmaxKernel} (softmax and log-softmax, forward and backward), {@link LayerNormKernel}
 * (forward; backward as one launch of two passes) and {@link GeluKernel} (forward and backward). What goes up and
 * what comes down; launches are serialised on each kernel.
 */
final class OpenClRows {

    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];

    private final Launcher dev;
    private final SoftmaxKernel softmax = new SoftmaxKernel();
    private final LayerNormKernel layerNorm = new LayerNormKernel();
    private final GeluKernel gelu = new GeluKernel();

    OpenClRows(Launcher dev) {
        this.dev = dev;
        dev.prepare(softmax);
        dev.prepare(layerNorm);
        dev.prepare(gelu);
    }

    /** Forward modes read inp and write out; backward modes read out and dout and accumulate into dinp. */
    void softmax(int mode, float[] out, int outOff, float[] inp, int inpOff, float[] dinp, int dinpOff,
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
                dev.put(k, inp);
                dev.putUnlessOverwritten(k, out, outOff, rows * cols, false);
            } else {
                dev.put(k, out);
                dev.put(k, dout);
                dev.put(k, dinp);
            }
            dev.launch(k, dev.range(rows));
            dev.get(k, forward ? out : dinp);
        }
    }

    /** inp, weight and bias up; out, mean and rstd, overwritten in their windows, down. */
    void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                          float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                          int N, int C, float eps) {
        LayerNormKernel k = layerNorm;
        synchronized (k) {
            setLayerNorm(k, LayerNormKernel.FORWARD, inp, inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
            k.out = out;
            k.outOff = outOff;
            k.bias = bias;
            k.biasOff = biasOff;
            k.eps = eps;
            dev.put(k, inp);
            dev.put(k, weight);
            dev.put(k, bias);
            dev.putUnlessOverwritten(k, out, outOff, N * C, false);
            dev.putUnlessOverwritten(k, mean, meanOff, N, false);
            dev.putUnlessOverwritten(k, rstd, rstdOff, N, false);
            dev.launch(k, dev.range(N));
            dev.get(k, out);
            dev.get(k, mean);
            dev.get(k, rstd);
        }
    }

    /** Every input and the accumulated outputs up; dinp, dweight and dbias down. */
    void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                           float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                           float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        LayerNormKernel k = layerNorm;
        synchronized (k) {
            setLayerNorm(k, LayerNormKernel.BACKWARD, inp, inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
            k.dinp = dinp;
            k.dinpOff = dinpOff;
            k.dweight = dweight;
            k.dweightOff = dweightOff;
            k.dbias = dbias;
            k.dbiasOff = dbiasOff;
            k.dout = dout;
            k.doutOff = doutOff;
            dev.put(k, inp);
            dev.put(k, weight);
            dev.put(k, mean);
            dev.put(k, rstd);
            dev.put(k, dout);
            dev.put(k, dinp);
            dev.put(k, dweight);
            dev.put(k, dbias);
            // one launch: pass 0 dinp, row by row; pass 1 dweight and dbias, column by column
            dev.launch(k, dev.range(Math.max(N, C)), 2);
            dev.get(k, dinp);
            dev.get(k, dweight);
            dev.get(k, dbias);
        }
    }

    /** Forward reads in and writes out; backward reads in and dout and accumulates into dinp. */
    void gelu(int mode, float[] out, int outOff, float[] in, int inOff, float[] dinp, int dinpOff, float[] dout,
              int doutOff, int n) {
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
            dev.put(k, in);
            if (mode == GeluKernel.FORWARD) {
                dev.putUnlessOverwritten(k, out, outOff, n, false);
            } else {
                dev.put(k, dout);
                dev.put(k, dinp);
            }
            dev.launch(k, dev.range(n));
            dev.get(k, mode == GeluKernel.FORWARD ? out : dinp);
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
}
