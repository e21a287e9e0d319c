package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The {@link org.rlhf4j.kernels.Kernels} contract on the JDK Vector API ({@code jdk.incubator.vector}).
 * The ops a GPT spends its time in have vector versions, each in a helper with one idea: matmul
 * ({@link SimdMatmul}), broadcasting binary ops ({@link SimdBinary}), flat elementwise ops
 * ({@link SimdElementwise}), the softmax family ({@link SimdSoftmax}) and layer norm
 * ({@link SimdLayerNorm}). Odd shapes go to the inherited scalar reference; everything else too.
 */
public class SimdKernels extends ScalarKernels {

    public SimdKernels(Parallel parallel) {
        super(parallel);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        SimdMatmul.matmul(parallel(), out, outOff, a, aOff, b, bOff, batch, M, K, N, transA, transB, shareB, accumulate);
    }

    @Override
    public void binary(Binary op, float[] out, int outOff, float[] a, int aOff, int[] aStrides,
                       float[] b, int bOff, int[] bStrides, int[] shape) {
        if (!SimdBinary.binary(parallel(), op, out, outOff, a, aOff, aStrides, b, bOff, bStrides, shape)) {
            super.binary(op, out, outOff, a, aOff, aStrides, b, bOff, bStrides, shape);
        }
    }

    @Override
    public void unary(Unary op, float p, float q, float[] out, int outOff, float[] in, int inOff, int n) {
        SimdElementwise.unary(parallel(), op, p, q, out, outOff, in, inOff, n);
    }

    @Override
    public void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] out, int outOff, int n) {
        if (SimdElementwise.hasVectorDerivative(op)) {
            SimdElementwise.unaryBackward(parallel(), op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff, n);
        } else {
            super.unaryBackward(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff, n);
        }
    }

    @Override
    public void addScaled(float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        SimdElementwise.addScaled(parallel(), dst, dstOff, src, srcOff, alpha, n);
    }

    @Override
    public void fill(float[] out, int outOff, float value, int n) {
        SimdElementwise.fill(parallel(), out, outOff, value, n);
    }

    /**
     * Row sums (inner = 1) with a vector accumulator; for inner >= one vector, whole vectors of
     * adjacent outputs summed down the axis, which is the reference's order exactly.
     */
    @Override
    public void sumAxis(float[] out, int outOff, float[] in, int inOff, int outer, int n, int inner) {
        if (inner == 1) {
            parallel().forRange(outer, Lanes.rowGrain(n), (from, to) -> {
                for (int o = from; o < to; o++) {
                    out[outOff + o] = Lanes.sum(in, inOff + o * n, n);
                }
            });
        } else if (inner >= L) {
            int blocks = (inner + L - 1) / L; // per outer index: whole vectors of outputs, then one partial
            parallel().forRange(outer * blocks, Lanes.rowGrain(n), (from, to) -> {
                for (int ob = from; ob < to; ob++) {
                    int o = ob / blocks, i = (ob % blocks) * L, base = inOff + o * n * inner;
                    if (i + L <= inner) {
                        FloatVector s = FloatVector.zero(F);
                        for (int j = 0; j < n; j++) {
                            s = s.add(FloatVector.fromArray(F, in, base + j * inner + i));
                        }
                        s.intoArray(out, outOff + o * inner + i);
                    } else {
                        for (int k = i; k < inner; k++) {
                            float s = 0f;
                            for (int j = 0; j < n; j++) {
                                s += in[base + j * inner + k];
                            }
                            out[outOff + o * inner + k] = s;
                        }
                    }
                }
            });
        } else {
            super.sumAxis(out, outOff, in, inOff, outer, n, inner);
        }
    }

    @Override
    public void softmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        SimdSoftmax.softmaxForward(parallel(), out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void causalSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int mats, int rows, int cols,
                                     int offset) {
        SimdSoftmax.causalSoftmaxForward(parallel(), out, outOff, inp, inpOff, mats, rows, cols, offset);
    }

    @Override
    public void attentionForward(float[] out, int outOff, float[] probs, int probsOff, float[] qkv, int qkvOff,
                                 int B, int T, int NH, int HS, float scale) {
        if (SimdAttention.supports(HS)) {
            SimdAttention.forward(parallel(), out, outOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
        } else {
            super.attentionForward(out, outOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
        }
    }

    @Override
    public void attentionBackward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] probs, int probsOff,
                                  float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        if (SimdAttention.supports(HS)) {
            SimdAttention.backward(parallel(), dqkv, dqkvOff, dout, doutOff, probs, probsOff, qkv, qkvOff,
                    B, T, NH, HS, scale);
        } else {
            super.attentionBackward(dqkv, dqkvOff, dout, doutOff, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
        }
    }

    @Override
    public void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                int rows, int cols) {
        SimdSoftmax.softmaxBackward(parallel(), dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        SimdSoftmax.logSoftmaxForward(parallel(), out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                   int rows, int cols) {
        SimdSoftmax.logSoftmaxBackward(parallel(), dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        SimdSoftmax.crossEntropyForward(parallel(), losses, lossesOff, lse, lseOff, logits, logitsOff,
                targets, targetsOff, rows, V, ignoreIndex);
    }

    @Override
    public void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        SimdSoftmax.crossEntropyBackward(parallel(), dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff,
                lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
    }

    @Override
    public void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                                 float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                                 int N, int C, float eps) {
        if (C == 0) { // an empty row has no mean: the reference's NaNs
            super.layerNormForward(out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff, weight, weightOff,
                    bias, biasOff, N, C, eps);
            return;
        }
        SimdLayerNorm.forward(parallel(), out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff,
                weight, weightOff, bias, biasOff, N, C, eps);
    }

    @Override
    public void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                                  float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                                  float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        SimdLayerNorm.backward(parallel(), dinp, dinpOff, dweight, dweightOff, dbias, dbiasOff, dout, doutOff,
                inp, inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
    }
}
