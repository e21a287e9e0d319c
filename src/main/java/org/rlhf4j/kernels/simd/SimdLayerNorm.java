package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import org.rlhf4j.kernels.Parallel;

/**
 * Layer norm over the last axis of (N, C) (Ba, Kiros, Hinton 2016), forward and backward. Rows are
 * independent tasks; the weight and bias gradients are split over columns and sum the rows in order.
 */
final class SimdLayerNorm {

    private SimdLayerNorm() {
    }

    /**
     * mean = x0 + sum_c (x[c] - x0) / C: shifting by the row's first entry keeps the float sum
     * small for rows far from 0 (x + 1e4), and a constant row sums exact zeros, so its mean is
     * exactly that constant and it normalises to exactly 0, as the reference (which sums in double).
     */
    private static float shiftedMean(float[] x, int xo, int C) {
        float x0 = x[xo];
        int c = 0, bound = F.loopBound(C);
        FloatVector acc = FloatVector.zero(F);
        for (; c < bound; c += L) {
            acc = acc.add(FloatVector.fromArray(F, x, xo + c).sub(FloatVector.broadcast(F, x0)));
        }
        float s = Lanes.sum(acc);
        for (; c < C; c++) {
            s += x[xo + c] - x0;
        }
        return x0 + s / C;
    }

    /** sum_c (x[c] - m)^2, with fused multiply-adds. */
    private static float squaredDeviations(float[] x, int xo, float m, int C) {
        int c = 0, bound = F.loopBound(C);
        FloatVector acc = FloatVector.zero(F);
        for (; c < bound; c += L) {
            FloatVector d = FloatVector.fromArray(F, x, xo + c).sub(FloatVector.broadcast(F, m));
            acc = d.fma(d, acc);
        }
        float s = Lanes.sum(acc);
        for (; c < C; c++) {
            float d = x[xo + c] - m;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /** The variance summed in double, for a row whose float sum of squares overflows. */
    private static float wideVariance(float[] x, int xo, float m, int C) {
        double squares = 0.0;
        for (int c = 0; c < C; c++) {
            float d = x[xo + c] - m;
            squares += (double) d * d;
        }
        return (float) (squares / C);
    }

    static void forward(Parallel parallel, float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                        float[] inp, int inpOff, float[] weight, int weightOff, float[] bias, int biasOff,
                        int N, int C, float eps) {
        parallel.forRange(N, Lanes.rowGrain(C), (from, to) -> {
            for (int n = from; n < to; n++) {
                int x = inpOff + n * C, o = outOff + n * C;
                float m = shiftedMean(inp, x, C);
                float squares = squaredDeviations(inp, x, m, C);
                float v = squares == Float.POSITIVE_INFINITY // deviations past ~1e19 overflow float squares
                        ? wideVariance(inp, x, m, C) : squares / C;  // biased variance, as PyTorch
                float s = (float) (1.0 / Math.sqrt((double) v + eps));    // rstd
                // out = ((x - m) s) w + b, unfused and in the reference's order
                int c = 0, bound = F.loopBound(C);
                for (; c < bound; c += L) {
                    FloatVector norm = FloatVector.fromArray(F, inp, x + c).sub(FloatVector.broadcast(F, m)).mul(FloatVector.broadcast(F, s));
                    norm.mul(FloatVector.fromArray(F, weight, weightOff + c))
                            .add(FloatVector.fromArray(F, bias, biasOff + c)).intoArray(out, o + c);
                }
                for (; c < C; c++) {
                    float norm = (inp[x + c] - m) * s;
                    out[o + c] = norm * weight[weightOff + c] + bias[biasOff + c];
                }
                mean[meanOff + n] = m;
                rstd[rstdOff + n] = s;
            }
        });
    }

    static void backward(Parallel parallel, float[] dinp, int dinpOff, float[] dweight, int dweightOff,
                         float[] dbias, int dbiasOff, float[] dout, int doutOff, float[] inp, int inpOff,
                         float[] weight, int weightOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                         int N, int C) {
        // 1. dinp, row by row: dx = rstd * (w dy - mean(w dy) - xhat * mean(w dy xhat))
        parallel.forRange(N, Lanes.rowGrain(C), (from, to) -> {
            for (int n = from; n < to; n++) {
                int row = n * C, x = inpOff + row, g = doutOff + row, d = dinpOff + row;
                float m = mean[meanOff + n], s = rstd[rstdOff + n];
                int c = 0, bound = F.loopBound(C);
                FloatVector sumDnorm = FloatVector.zero(F), sumDnormNorm = FloatVector.zero(F);
                for (; c < bound; c += L) {
                    FloatVector norm = FloatVector.fromArray(F, inp, x + c).sub(FloatVector.broadcast(F, m)).mul(FloatVector.broadcast(F, s));
                    FloatVector dnorm = FloatVector.fromArray(F, weight, weightOff + c).mul(FloatVector.fromArray(F, dout, g + c));
                    sumDnorm = sumDnorm.add(dnorm);
                    sumDnormNorm = dnorm.fma(norm, sumDnormNorm);
                }
                float dnormMean = Lanes.sum(sumDnorm), dnormNormMean = Lanes.sum(sumDnormNorm);
                for (; c < C; c++) {
                    float norm = (inp[x + c] - m) * s;
                    float dnorm = weight[weightOff + c] * dout[g + c];
                    dnormMean += dnorm;
                    dnormNormMean = Math.fma(dnorm, norm, dnormNormMean);
                }
                dnormMean /= C;
                dnormNormMean /= C;
                for (c = 0; c < bound; c += L) {
                    FloatVector norm = FloatVector.fromArray(F, inp, x + c).sub(FloatVector.broadcast(F, m)).mul(FloatVector.broadcast(F, s));
                    FloatVector dnorm = FloatVector.fromArray(F, weight, weightOff + c).mul(FloatVector.fromArray(F, dout, g + c));
                    FloatVector dx = dnorm.sub(FloatVector.broadcast(F, dnormMean)).sub(norm.mul(FloatVector.broadcast(F, dnormNormMean))).mul(FloatVector.broadcast(F, s));
                    FloatVector.fromArray(F, dinp, d + c).add(dx).intoArray(dinp, d + c);
                }
                for (; c < C; c++) {
                    float norm = (inp[x + c] - m) * s;
                    float dnorm = weight[weightOff + c] * dout[g + c];
                    dinp[d + c] += (dnorm - dnormMean - norm * dnormNormMean) * s;
                }
            }
        });
        // 2. dweight += sum_n dy xhat, dbias += sum_n dy: columns split in whole vectors, rows in order,
        //    the same operations in the same order as the reference, so the same bits
        int blocks = (C + L - 1) / L;
        parallel.forRange(blocks, Lanes.rowGrain((long) N * L), (b0, b1) -> {
            int from = b0 * L, to = Math.min(C, b1 * L);
            int bound = from + F.loopBound(to - from);
            for (int n = 0; n < N; n++) {
                int row = n * C;
                float m = mean[meanOff + n], s = rstd[rstdOff + n];
                int c = from;
                for (; c < bound; c += L) {
                    FloatVector dy = FloatVector.fromArray(F, dout, doutOff + row + c);
                    FloatVector norm = FloatVector.fromArray(F, inp, inpOff + row + c).sub(FloatVector.broadcast(F, m)).mul(FloatVector.broadcast(F, s));
                    FloatVector.fromArray(F, dweight, dweightOff + c).add(dy.mul(norm)).intoArray(dweight, dweightOff + c);
                    FloatVector.fromArray(F, dbias, dbiasOff + c).add(dy).intoArray(dbias, dbiasOff + c);
                }
                for (; c < to; c++) {
                    float norm = (inp[inpOff + row + c] - m) * s;
                    dweight[dweightOff + c] += dout[doutOff + row + c] * norm;
                    dbias[dbiasOff + c] += dout[doutOff + row + c];
                }
            }
        });
    }
}
