package org.rlhf4j.kernels.scalar;

import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.CounterRng;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;

/**
 * THE reference implementation of {@link Kernels}: plain loops, one loop nest per op, sums taken in
 * increasing index order. Work is split over independent outputs only (rows of a matrix product,
 * rows of a softmax, columns of a bias gradient), so the thread count never changes a bit.
 * Elementwise maths is in {@link ScalarMath}.
 */
public class ScalarKernels implements Kernels {

    /** Fewest elements worth handing to another thread. */
    private static final int GRAIN = 1 << 14;

    private final Parallel parallel;

    public ScalarKernels(Parallel parallel) {
        if (parallel == null) {
            throw new IllegalArgumentException("parallel must not be null");
        }
        this.parallel = parallel;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /** Rows per range so that each range holds about GRAIN elements of work. */
    static int rowGrain(long workPerRow) {
        return (int) Math.max(1, GRAIN / Math.max(1, workPerRow));
    }

    // ---------------------------------------------------------------------------------------------
    // matmul: out[i,j] = sum_k A(i,k) B(k,j), k ascending, then added to out[i,j] when accumulating
    // ---------------------------------------------------------------------------------------------

    @Override
    public void matmul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        int rows = batch * M; // independent output rows, split over threads
        parallel.forRange(rows, rowGrain((long) K * N), (from, to) -> {
            float[] acc = new float[N];
            for (int r = from; r < to; r++) {
                int bt = r / M, i = r % M;
                int ao = aOff + bt * M * K;
                int bo = bOff + (shareB ? 0 : bt * K * N);
                int oo = outOff + bt * M * N + i * N;
                java.util.Arrays.fill(acc, 0f);
                for (int k = 0; k < K; k++) {
                    float aik = transA ? a[ao + k * M + i] : a[ao + i * K + k];
                    if (transB) {
                        for (int j = 0; j < N; j++) {
                            acc[j] += aik * b[bo + j * K + k];
                        }
                    } else {
                        int brow = bo + k * N;
                        for (int j = 0; j < N; j++) {
                            acc[j] += aik * b[brow + j];
                        }
                    }
                }
                for (int j = 0; j < N; j++) {
                    out[oo + j] = accumulate ? out[oo + j] + acc[j] : acc[j];
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // elementwise
    // ---------------------------------------------------------------------------------------------

    @Override
    public void binary(Binary op, float[] out, int outOff, float[] a, int aOff, int[] aStrides,
                       float[] b, int bOff, int[] bStrides, int[] shape) {
        Strided.check("binary " + op, shape, aStrides, bStrides);
        int last = Strided.lastDim(shape), rows = last == 0 ? 0 : Strided.size(shape) / last;
        int sa = Strided.lastStride(aStrides), sb = Strided.lastStride(bStrides);
        parallel.forRange(rows, rowGrain(last), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ia = aOff + Strided.rowOffset(r, shape, aStrides);
                int ib = bOff + Strided.rowOffset(r, shape, bStrides);
                int o = outOff + r * last;
                for (int j = 0; j < last; j++) {
                    out[o + j] = ScalarMath.binary(op, a[ia + j * sa], b[ib + j * sb]);
                }
            }
        });
    }

    @Override
    public void binaryBackward(Binary op, boolean wrtA, float[] dx, int dxOff, float[] dout, int doutOff,
                               float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides,
                               int[] shape) {
        Strided.check("binaryBackward " + op, shape, aStrides, bStrides);
        int last = Strided.lastDim(shape), rows = last == 0 ? 0 : Strided.size(shape) / last;
        int sa = Strided.lastStride(aStrides), sb = Strided.lastStride(bStrides);
        parallel.forRange(rows, rowGrain(last), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ia = aOff + Strided.rowOffset(r, shape, aStrides);
                int ib = bOff + Strided.rowOffset(r, shape, bStrides);
                int o = r * last;
                for (int j = 0; j < last; j++) {
                    float d = ScalarMath.binaryDerivative(op, wrtA, a[ia + j * sa], b[ib + j * sb]);
                    dx[dxOff + o + j] = dout[doutOff + o + j] * d;
                }
            }
        });
    }

    @Override
    public void unary(Unary op, float p, float q, float[] out, int outOff, float[] in, int inOff, int n) {
        parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[outOff + i] = ScalarMath.unary(op, p, q, in[inOff + i]);
            }
        });
    }

    @Override
    public void unaryBackward(Unary op, float p, float q, float[] dinp, int dinpOff, float[] dout, int doutOff,
                              float[] inp, int inpOff, float[] out, int outOff, int n) {
        parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = ScalarMath.unaryDerivative(op, p, q, inp[inpOff + i], out[outOff + i]);
                dinp[dinpOff + i] += dout[doutOff + i] * d;
            }
        });
    }

    @Override
    public void where(float[] out, int outOff, float[] cond, int condOff, int[] condStrides,
                      float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, int[] shape) {
        Strided.check("where", shape, condStrides, aStrides, bStrides);
        int last = Strided.lastDim(shape), rows = last == 0 ? 0 : Strided.size(shape) / last;
        int sc = Strided.lastStride(condStrides), sa = Strided.lastStride(aStrides), sb = Strided.lastStride(bStrides);
        parallel.forRange(rows, rowGrain(last), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ic = condOff + Strided.rowOffset(r, shape, condStrides);
                int ia = aOff + Strided.rowOffset(r, shape, aStrides);
                int ib = bOff + Strided.rowOffset(r, shape, bStrides);
                int o = outOff + r * last;
                for (int j = 0; j < last; j++) {
                    out[o + j] = cond[ic + j * sc] != 0f ? a[ia + j * sa] : b[ib + j * sb];
                }
            }
        });
    }

    @Override
    public void copyStrided(float[] out, int outOff, float[] in, int inOff, int[] inStrides, int[] shape) {
        Strided.check("copyStrided", shape, inStrides);
        int last = Strided.lastDim(shape), rows = last == 0 ? 0 : Strided.size(shape) / last;
        int s = Strided.lastStride(inStrides);
        parallel.forRange(rows, rowGrain(last), (from, to) -> {
            Strided.Rows src = new Strided.Rows(from, shape, inStrides);
            for (int r = from; r < to; r++, src.next()) {
                int ii = inOff + src.offset();
                int o = outOff + r * last;
                if (s == 1) {
                    System.arraycopy(in, ii, out, o, last); // a contiguous run: the same copy, in bulk
                } else {
                    for (int j = 0; j < last; j++) {
                        out[o + j] = in[ii + j * s];
                    }
                }
            }
        });
    }

    @Override
    public void accumulateStrided(float[] out, int outOff, int[] outStrides, float[] in, int inOff, int[] shape) {
        Strided.check("accumulateStrided", shape, outStrides);
        if (Strided.isContiguous(shape, outStrides)) {
            addScaled(out, outOff, in, inOff, 1f, Strided.size(shape)); // one input per output: out += in
            return;
        }
        // Several inputs may land on one output, so this runs on one thread, in index order.
        int last = Strided.lastDim(shape), rows = last == 0 ? 0 : Strided.size(shape) / last;
        int s = Strided.lastStride(outStrides);
        Strided.Rows dst = new Strided.Rows(0, shape, outStrides);
        for (int r = 0; r < rows; r++, dst.next()) {
            int io = outOff + dst.offset();
            int ii = inOff + r * last;
            if (s == 1) {
                for (int j = 0; j < last; j++) { // unit stride: a loop C2 vectorizes
                    out[io + j] += in[ii + j];
                }
            } else {
                for (int j = 0; j < last; j++) {
                    out[io + j * s] += in[ii + j];
                }
            }
        }
    }

    @Override
    public void addScaled(float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dst[dstOff + i] += alpha * src[srcOff + i];
            }
        });
    }

    @Override
    public void fill(float[] out, int outOff, float value, int n) {
        java.util.Arrays.fill(out, outOff, outOff + n, value);
    }

    // ---------------------------------------------------------------------------------------------
    // reductions over the middle axis of (outer, n, inner)
    // ---------------------------------------------------------------------------------------------

    @Override
    public void sumAxis(float[] out, int outOff, float[] in, int inOff, int outer, int n, int inner) {
        parallel.forRange(outer * inner, rowGrain(n), (from, to) -> {
            for (int oi = from; oi < to; oi++) {
                int o = oi / inner, i = oi % inner;
                float s = 0f;
                for (int j = 0; j < n; j++) {
                    s += in[inOff + (o * n + j) * inner + i];
                }
                out[outOff + oi] = s;
            }
        });
    }

    @Override
    public void sumAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int outer, int n, int inner) {
        parallel.forRange(outer * n, rowGrain(inner), (from, to) -> {
            for (int oj = from; oj < to; oj++) {
                int o = oj / n;
                for (int i = 0; i < inner; i++) {
                    dinp[dinpOff + oj * inner + i] += dout[doutOff + o * inner + i];
                }
            }
        });
    }

    @Override
    public void maxAxis(float[] out, int outOff, int[] argmax, int argmaxOff, float[] in, int inOff,
                        int outer, int n, int inner) {
        if (n < 1) {
            throw new IllegalArgumentException("maxAxis over an empty axis (n = 0) has no value");
        }
        parallel.forRange(outer * inner, rowGrain(n), (from, to) -> {
            for (int oi = from; oi < to; oi++) {
                int o = oi / inner, i = oi % inner;
                int best = 0;
                float bestValue = in[inOff + o * n * inner + i];
                for (int j = 1; j < n; j++) {
                    float v = in[inOff + (o * n + j) * inner + i];
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[outOff + oi] = bestValue;
                argmax[argmaxOff + oi] = best;
            }
        });
    }

    @Override
    public void maxAxisBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                                int outer, int n, int inner) {
        parallel.forRange(outer * inner, GRAIN, (from, to) -> {
            for (int oi = from; oi < to; oi++) {
                int o = oi / inner, i = oi % inner;
                dinp[dinpOff + (o * n + argmax[argmaxOff + oi]) * inner + i] += dout[doutOff + oi];
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // softmax family, over the last axis of (rows, cols): the loops are in ScalarSoftmax
    // ---------------------------------------------------------------------------------------------

    @Override
    public void softmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        ScalarSoftmax.softmaxForward(parallel, out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void softmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                int rows, int cols) {
        ScalarSoftmax.softmaxBackward(parallel, dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void logSoftmaxForward(float[] out, int outOff, float[] inp, int inpOff, int rows, int cols) {
        ScalarSoftmax.logSoftmaxForward(parallel, out, outOff, inp, inpOff, rows, cols);
    }

    @Override
    public void logSoftmaxBackward(float[] dinp, int dinpOff, float[] dout, int doutOff, float[] out, int outOff,
                                   int rows, int cols) {
        ScalarSoftmax.logSoftmaxBackward(parallel, dinp, dinpOff, dout, doutOff, out, outOff, rows, cols);
    }

    @Override
    public void crossEntropyForward(float[] losses, int lossesOff, float[] lse, int lseOff,
                                    float[] logits, int logitsOff, int[] targets, int targetsOff,
                                    int rows, int V, int ignoreIndex) {
        ScalarSoftmax.crossEntropyForward(parallel, losses, lossesOff, lse, lseOff, logits, logitsOff,
                targets, targetsOff, rows, V, ignoreIndex);
    }

    @Override
    public void crossEntropyBackward(float[] dlogits, int dlogitsOff, float[] dlosses, int dlossesOff,
                                     float[] logits, int logitsOff, float[] lse, int lseOff,
                                     int[] targets, int targetsOff, int rows, int V, int ignoreIndex) {
        ScalarSoftmax.crossEntropyBackward(parallel, dlogits, dlogitsOff, dlosses, dlossesOff, logits, logitsOff,
                lse, lseOff, targets, targetsOff, rows, V, ignoreIndex);
    }

    // ---------------------------------------------------------------------------------------------
    // layer norm over the last axis of (N, C): the loops are in ScalarLayerNorm
    // ---------------------------------------------------------------------------------------------

    @Override
    public void layerNormForward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                                 float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                                 int N, int C, float eps) {
        ScalarLayerNorm.forward(parallel, out, outOff, mean, meanOff, rstd, rstdOff, inp, inpOff, weight, weightOff,
                bias, biasOff, N, C, eps);
    }

    @Override
    public void layerNormBackward(float[] dinp, int dinpOff, float[] dweight, int dweightOff, float[] dbias, int dbiasOff,
                                  float[] dout, int doutOff, float[] inp, int inpOff, float[] weight, int weightOff,
                                  float[] mean, int meanOff, float[] rstd, int rstdOff, int N, int C) {
        ScalarLayerNorm.backward(parallel, dinp, dinpOff, dweight, dweightOff, dbias, dbiasOff, dout, doutOff, inp,
                inpOff, weight, weightOff, mean, meanOff, rstd, rstdOff, N, C);
    }

    // ---------------------------------------------------------------------------------------------
    // embedding, dropout
    // ---------------------------------------------------------------------------------------------

    @Override
    public void embeddingForward(float[] out, int outOff, float[] table, int tableOff, int[] ids, int idsOff,
                                 int N, int V, int C) {
        parallel.forRange(N, rowGrain(C), (from, to) -> {
            for (int n = from; n < to; n++) {
                int id = ids[idsOff + n];
                if (id < 0 || id >= V) {
                    throw new IndexOutOfBoundsException("embedding: id " + id + " at position " + n
                            + " is outside the table's [0, " + V + ")");
                }
                System.arraycopy(table, tableOff + id * C, out, outOff + n * C, C);
            }
        });
    }

    @Override
    public void embeddingBackward(float[] dtable, int dtableOff, float[] dout, int doutOff, int[] ids, int idsOff,
                                  int N, int V, int C) {
        for (int n = 0; n < N; n++) {
            int id = ids[idsOff + n];
            if (id < 0 || id >= V) {
                throw new IndexOutOfBoundsException("embedding backward: id " + id + " at position " + n
                        + " is outside the table's [0, " + V + ")");
            }
        }
        // scatter-add, split over columns so that each dtable element sums its rows in order of n
        parallel.forRange(C, rowGrain(N), (from, to) -> {
            for (int n = 0; n < N; n++) {
                int t = dtableOff + ids[idsOff + n] * C, d = doutOff + n * C;
                for (int c = from; c < to; c++) {
                    dtable[t + c] += dout[d + c];
                }
            }
        });
    }

    @Override
    public void dropoutForward(float[] out, int outOff, float[] mask, int maskOff, float[] inp, int inpOff,
                               int n, float p, long seed) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        float scale = 1f / (1f - p); // inverted dropout: the expectation of out is inp
        parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float m = CounterRng.uniform(seed, i) >= p ? scale : 0f;
                mask[maskOff + i] = m;
                out[outOff + i] = inp[inpOff + i] * m;
            }
        });
    }
}
