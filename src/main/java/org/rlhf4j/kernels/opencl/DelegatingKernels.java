package org.rlhf4j.kernels.opencl;

import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;

/**
 * Every op of the contract handed to CPU kernels (SIMD or scalar): the base of the families in this
 * package, which override the ops they run on the device. Keeps the delegation in one place, so that
 * a family's file shows only what it does itself.
 */
abstract class DelegatingKernels implements Kernels {

    /** The kernels every op not overridden goes to. */
    final Kernels cpu;

    DelegatingKernels(Kernels cpu) {
        if (cpu == null) {
            throw new IllegalArgumentException("cpu kernels must not be null");
        }
        this.cpu = cpu;
    }

    @Override
    public Parallel parallel() {
        return cpu.parallel();
    }

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int batch, int M, int K, int N,
                       boolean transA, boolean transB, boolean shareB, boolean accumulate) {
        cpu.matmul(out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
    }

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
    public void causalSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int mats, int rows, int cols,
                                     int offset) {
        cpu.causalSoftmaxForward(out, outOff, inp, inpOff, mats, rows, cols, offset);
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
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff, float[] logits, int logitsOff,
                                    int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
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
