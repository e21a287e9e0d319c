package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rlhf4j.kernels.Tolerance.SUBNORMAL;
import static org.rlhf4j.kernels.Tolerance.U;
import static org.rlhf4j.kernels.Tolerance.assertClose;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The OpenCL kernels agree with the scalar reference on awkward shapes (0, 1, the tile width 16 +-1,
 * primes, a few hundred) and values, op by op, within error bounds derived as in
 * {@link KernelsProperties}. Skipped, with the reason, where no OpenCL device exists.
 *
 * <p>Matmul: each output is a length-K dot product summed in increasing k as in the reference, but an
 * OpenCL compiler may contract {@code acc + a*b} into an fma, which rounds once where the reference
 * rounds twice; the recursive-sum bound covers any such mix: |diff| <= 2 K U sum_k |a_ik b_kj|.
 * Where that sum passes float's range (MIXED values reach 1e30 squared) an intermediate may overflow
 * on one side only (an fma does not round its product to inf), so such elements are not compared.
 *
 * <p>The other kernels compute in float with OpenCL's built-in functions, whose accuracy the OpenCL
 * 1.2 specification (section 7.4, full profile, single precision) bounds: exp and log within 3 ulp,
 * x / y within 2.5 ulp, sqrt within 3 ulp; + - * are correctly rounded. One ulp is at most 2U
 * relative, and the reference rounds its double result once more (U), so an exp is within
 * {@link #EXP_REL} = 8U of the reference's, a division within {@link #DIV_REL} = 6U, a log or sqrt
 * within 8U. Sums in another order, or contracted into fma, are within 2 n U sum|terms|. The bounds
 * below are those of KernelsProperties with these constants.
 */
class OpenClKernelsProperties {

    private static final Kernels SCALAR = new ScalarKernels(Parallel.sequential());
    private static final double EXP_REL = 8 * U, DIV_REL = 6 * U, LOG_REL = 8 * U;
    private static final int IGNORE = -100;

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 63, 64, 65, 97, 127, 128, 129, 257, 509, 768),
                Arbitraries.integers().between(0, 400));
    }

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.of(0, 1, 2, 3, 5, 8, 65);
    }

    /** rows x cols logits; when masked, a third of them -inf and row 0 wholly. */
    private static float[] logits(Values values, long seed, int rows, int cols, boolean masked) {
        float[] x = values.fill(seed, rows * cols);
        if (masked) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed + 7);
            for (int i = 0; i < x.length; i++) {
                if (i < cols || r.nextInt(3) == 0) {
                    x[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return x;
    }

    private static float rowMax(float[] x, int off, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    @Property(tries = 80)
    void softmaxAgrees(@ForAll("rows") int rows, @ForAll("sizes") int cols, @ForAll("finite") Values values,
                       @ForAll boolean masked, @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        float[] x = logits(values, seed, rows, cols, masked);
        float[] ref = new float[x.length + 1], act = new float[x.length + 1];
        SCALAR.softmaxForward(ref, 1, x, 0, rows, cols);
        ocl.softmaxForward(act, 1, x, 0, rows, cols);
        // e^(x - m) within EXP_REL each, their sum within 2 cols U, then 1/s (DIV_REL) and the product (2U)
        for (int i = 1; i <= x.length; i++) {
            double rel = 2 * EXP_REL + 2.0 * cols * U + DIV_REL + 4 * U;
            assertClose("softmax", i, ref[i], act[i], rel * Math.abs(ref[i]) + SUBNORMAL);
        }
        float[] y = java.util.Arrays.copyOfRange(ref, 1, ref.length);
        float[] dout = Values.normal(seed + 3, x.length), refD = Values.normal(seed + 4, x.length), actD = refD.clone();
        float[] dinp0 = refD.clone();
        SCALAR.softmaxBackward(refD, 0, dout, 0, y, 0, rows, cols);
        ocl.softmaxBackward(actD, 0, dout, 0, y, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
            double dot = 0, abs = 0;
            for (int k = 0; k < cols; k++) {
                dot += (double) dout[r * cols + k] * y[r * cols + k];
                abs += Math.abs((double) dout[r * cols + k] * y[r * cols + k]);
            }
            double dDot = 2.0 * (cols + 1) * U * abs;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double yy = Math.abs(y[j]), g = Math.abs(dout[j]) + Math.abs(dot) + dDot;
                double bound = yy * (dDot + 4 * U * g) + 2 * U * (Math.abs(dinp0[j]) + Math.abs(refD[j]) + yy * g);
                assertClose("softmaxBackward", j, refD[j], actD[j], bound + SUBNORMAL);
            }
        }
    }

    /** Two log-sum-exps of a row: sums 2 cols U + EXP_REL, the log (LOG_REL) and m + log (2U). */
    private static double lseBound(int cols, float m, float lse) {
        double logS = (double) lse - m;
        return 2.0 * cols * U + EXP_REL + 2 * U + LOG_REL * Math.abs(logS) + 2 * U * Math.abs(lse) + SUBNORMAL;
    }

    @Property(tries = 80)
    void logSoftmaxAgrees(@ForAll("rows") int rows, @ForAll("sizes") int cols, @ForAll("finite") Values values,
                          @ForAll boolean masked, @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        float[] x = logits(values, seed, rows, cols, masked);
        float[] ref = new float[x.length], act = new float[x.length];
        SCALAR.logSoftmaxForward(ref, 0, x, 0, rows, cols);
        ocl.logSoftmaxForward(act, 0, x, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
            float m = rowMax(x, r * cols, cols);
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                float lse = x[j] - ref[j];
                assertClose("logSoftmax", j, ref[j], act[j], lseBound(cols, m, lse) + 2 * U * Math.abs(ref[j]));
            }
        }
        float[] dout = Values.normal(seed + 3, x.length), refD = Values.normal(seed + 4, x.length), actD = refD.clone();
        float[] dinp0 = refD.clone();
        SCALAR.logSoftmaxBackward(refD, 0, dout, 0, ref, 0, rows, cols);
        ocl.logSoftmaxBackward(actD, 0, dout, 0, ref, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
            double sum = 0, abs = 0;
            for (int k = 0; k < cols; k++) {
                sum += dout[r * cols + k];
                abs += Math.abs(dout[r * cols + k]);
            }
            double dSum = 2.0 * cols * U * abs;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double e = Math.exp(ref[j]), t = e * (Math.abs(sum) + dSum);
                double bound = e * dSum + (EXP_REL + 2 * U) * t + 2 * U * (Math.abs(dout[j]) + t)
                        + 2 * U * (Math.abs(dinp0[j]) + Math.abs(refD[j]));
                assertClose("logSoftmaxBackward", j, refD[j], actD[j], bound + SUBNORMAL);
            }
        }
    }

    @Property(tries = 80)
    void crossEntropyAgrees(@ForAll("rows") int rows, @ForAll("sizes") int vocab, @ForAll("finite") Values values,
                            @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        int V = Math.max(1, vocab);
        float[] x = values.fill(seed, rows * V + 1);
        int[] targets = new int[rows + 2];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed + 5);
        for (int i = 0; i < targets.length; i++) {
            targets[i] = r.nextInt(4) == 0 ? IGNORE : r.nextInt(V);
        }
        float[] refLoss = new float[rows], actLoss = new float[rows], refLse = new float[rows + 1], actLse = new float[rows + 1];
        SCALAR.crossEntropyForward(refLoss, 0, refLse, 1, x, 1, targets, 2, rows, V, IGNORE);
        ocl.crossEntropyForward(actLoss, 0, actLse, 1, x, 1, targets, 2, rows, V, IGNORE);
        for (int i = 0; i < rows; i++) {
            double bound = lseBound(V, rowMax(x, 1 + i * V, V), refLse[1 + i]);
            assertClose("crossEntropy lse", i, refLse[1 + i], actLse[1 + i], bound);
            assertClose("crossEntropy loss", i, refLoss[i], actLoss[i], bound + 2 * U * Math.abs(refLoss[i]));
        }
        float[] dlosses = Values.normal(seed + 6, rows), refD = Values.normal(seed + 7, rows * V), actD = refD.clone();
        float[] d0 = refD.clone();
        SCALAR.crossEntropyBackward(refD, 0, dlosses, 0, x, 1, refLse, 1, targets, 2, rows, V, IGNORE);
        ocl.crossEntropyBackward(actD, 0, dlosses, 0, x, 1, refLse, 1, targets, 2, rows, V, IGNORE);
        for (int i = 0; i < rows * V; i++) {
            int row = i / V;
            double p = Math.exp((double) x[1 + i] - refLse[1 + row]), dl = Math.abs(dlosses[row]);
            double bound = dl * EXP_REL * p + 2 * U * dl * (p + 1) + 2 * U * (Math.abs(d0[i]) + Math.abs(refD[i]));
            assertClose("crossEntropyBackward", i, refD[i], actD[i], bound + SUBNORMAL);
        }
    }

    @Test
    void crossEntropyRejectsATargetOutsideTheVocabulary() {
        Kernels ocl = OpenClSupport.kernels();
        float[] x = new float[6], losses = new float[2], lse = new float[2];
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> ocl.crossEntropyForward(losses, 0, lse, 0, x, 0, new int[] {1, 3}, 0, 2, 3, IGNORE));
    }

    @Property(tries = 80)
    void layerNormAgrees(@ForAll("rows") int N, @ForAll("sizes") int channels, @ForAll("finite") Values values,
                         @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        int C = Math.max(1, channels);
        float eps = 1e-5f;
        float[] x = values.fill(seed, N * C), w = Values.normal(seed + 1, C), b = Values.normal(seed + 2, C);
        float[] ref = new float[N * C], act = new float[N * C];
        float[] refMean = new float[N], actMean = new float[N], refRstd = new float[N], actRstd = new float[N];
        SCALAR.layerNormForward(ref, 0, refMean, 0, refRstd, 0, x, 0, w, 0, b, 0, N, C, eps);
        ocl.layerNormForward(act, 0, actMean, 0, actRstd, 0, x, 0, w, 0, b, 0, N, C, eps);
        for (int n = 0; n < N; n++) {
            float m = refMean[n], s = refRstd[n];
            double maxDev = 0;
            for (int c = 0; c < C; c++) {
                maxDev = Math.max(maxDev, Math.abs((double) x[n * C + c] - m));
            }
            // KernelsProperties' bounds (the same shifted float sums as SimdLayerNorm), with the
            // divisions by C (DIV_REL each) and rstd's division and sqrt (DIV_REL + LOG_REL / 2)
            double dMean = 2.0 * (C + 2) * U * maxDev + (2 * U + DIV_REL) * Math.abs(m) + DIV_REL * maxDev;
            double v = 1.0 / ((double) s * s) - eps;
            double dVar = 2 * maxDev * dMean + dMean * dMean + (C + 6) * U * maxDev * maxDev + DIV_REL * maxDev * maxDev;
            double dRstdRel = 0.5 * dVar / (Math.max(v, 0) + eps) + DIV_REL + LOG_REL + 2 * U;
            assertClose("layerNorm mean", n, m, actMean[n], dMean + SUBNORMAL);
            assertClose("layerNorm rstd", n, s, actRstd[n], dRstdRel * s);
            for (int c = 0; c < C; c++) {
                int i = n * C + c;
                double dev = Math.abs((double) x[i] - m), norm = dev * s;
                double dNorm = (dMean + 2 * U * dev) * s + norm * (dRstdRel + 2 * U);
                double bound = Math.abs(w[c]) * dNorm + 2 * U * (norm * Math.abs(w[c]) + Math.abs(b[c]))
                        + 2 * U * Math.abs(ref[i]);
                assertClose("layerNorm out", i, ref[i], act[i], bound + SUBNORMAL);
            }
        }
        layerNormBackwardAgrees(ocl, N, C, x, w, refMean, refRstd, seed);
    }

    private static void layerNormBackwardAgrees(Kernels ocl, int N, int C, float[] x, float[] w, float[] mean,
                                                float[] rstd, long seed) {
        float[] dout = Values.normal(seed + 3, N * C), dinp0 = Values.normal(seed + 4, N * C);
        float[] dw0 = Values.normal(seed + 5, C), db0 = Values.normal(seed + 6, C);
        float[] refDx = dinp0.clone(), actDx = dinp0.clone(), refDw = dw0.clone(), actDw = dw0.clone();
        float[] refDb = db0.clone(), actDb = db0.clone();
        SCALAR.layerNormBackward(refDx, 0, refDw, 0, refDb, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, N, C);
        ocl.layerNormBackward(actDx, 0, actDw, 0, actDb, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, N, C);
        // column sums over rows in the reference's order, but a compiler may contract dw + dy * xhat into an fma
        for (int c = 0; c < C; c++) {
            double absW = Math.abs(dw0[c]), absB = Math.abs(db0[c]);
            for (int n = 0; n < N; n++) {
                absW += Math.abs((double) dout[n * C + c] * (x[n * C + c] - mean[n]) * rstd[n]);
                absB += Math.abs(dout[n * C + c]);
            }
            assertClose("layerNormBackward dweight", c, refDw[c], actDw[c], 2.0 * (N + 1) * U * absW + SUBNORMAL);
            assertClose("layerNormBackward dbias", c, refDb[c], actDb[c], 2.0 * (N + 1) * U * absB + SUBNORMAL);
        }
        for (int n = 0; n < N; n++) {
            float m = mean[n], s = rstd[n];
            double a = 0, absA = 0, bb = 0, absBB = 0;
            for (int c = 0; c < C; c++) {
                float norm = (x[n * C + c] - m) * s, dnorm = w[c] * dout[n * C + c];
                a += dnorm;
                absA += Math.abs(dnorm);
                bb += (double) dnorm * norm;
                absBB += Math.abs((double) dnorm * norm);
            }
            a /= C;
            bb /= C;
            // the two row means: another order (2 (C + 1) U) and the division (DIV_REL) on each side
            double dA = (2.0 * (C + 1) * U + 2 * DIV_REL) * absA / C, dB = (2.0 * (C + 1) * U + 2 * DIV_REL) * absBB / C;
            for (int c = 0; c < C; c++) {
                int i = n * C + c;
                double norm = Math.abs((x[i] - m) * s), dnorm = Math.abs(w[c] * dout[i]);
                double terms = dnorm + Math.abs(a) + dA + norm * (Math.abs(bb) + dB);
                double bound = s * (dA + norm * dB + 4 * U * terms) + 2 * U * s * terms
                        + 2 * U * (Math.abs(dinp0[i]) + Math.abs(refDx[i]));
                assertClose("layerNormBackward dinp", i, refDx[i], actDx[i], bound + SUBNORMAL);
            }
        }
    }

    /** GELU's sigmoid argument z = 2u, in double. */
    private static double geluZ(float x) {
        return 2.0 * org.rlhf4j.kernels.scalar.ScalarMath.GELU_SCALE
                * (x + org.rlhf4j.kernels.scalar.ScalarMath.GELU_CUBIC * (double) x * x * x);
    }

    /**
     * GELU forward: z in float is within 5U|z| (four roundings, and the constant's), which moves
     * sigmoid(z) by at most that relatively; the sigmoid adds EXP_REL + DIV_REL + U, x s and the
     * reference's rounding 2U. Backward: s + 2 x s (1 - s) du, each term within (10|z| + 2 DIV_REL / U
     * + 20) U + 2 EXP_REL relatively (z's error enters s and 1 - s), bounded on the sum of the
     * terms' magnitudes since they may cancel.
     */
    @Property(tries = 80)
    void geluAgrees(@ForAll("sizes") int n, @ForAll("finite") Values values, @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        float[] x = values.fill(seed, n + 3);
        float[] ref = new float[n + 1], act = new float[n + 1];
        SCALAR.unary(Unary.GELU, 0f, 0f, ref, 1, x, 3, n);
        ocl.unary(Unary.GELU, 0f, 0f, act, 1, x, 3, n);
        for (int i = 0; i < n; i++) {
            double z = geluZ(x[3 + i]);
            double bound = ((5 * Math.abs(z) + 3) * U + EXP_REL + DIV_REL) * Math.abs(ref[1 + i])
                    + SUBNORMAL * (1 + Math.abs(x[3 + i]));
            assertClose("gelu at x = " + x[3 + i], i, ref[1 + i], act[1 + i], bound);
        }
        float[] y = java.util.Arrays.copyOfRange(ref, 1, n + 1), xs = java.util.Arrays.copyOfRange(x, 3, n + 3);
        float[] dout = Values.normal(seed + 1, n), dinp0 = Values.normal(seed + 2, n + 1);
        float[] refD = dinp0.clone(), actD = dinp0.clone();
        SCALAR.unaryBackward(Unary.GELU, 0f, 0f, refD, 1, dout, 0, xs, 0, y, 0, n);
        ocl.unaryBackward(Unary.GELU, 0f, 0f, actD, 1, dout, 0, xs, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            float xi = xs[i];
            double z = geluZ(xi);
            double s = 1 / (1 + Math.exp(-z));
            double du = org.rlhf4j.kernels.scalar.ScalarMath.GELU_SCALE
                    * (1 + 3 * org.rlhf4j.kernels.scalar.ScalarMath.GELU_CUBIC * (double) xi * xi);
            double terms = Math.abs(s) + Math.abs(2 * xi * s * (1 - s) * du);
            double dd = ((10 * Math.abs(z) + 20) * U + 2 * EXP_REL + 2 * DIV_REL) * terms + SUBNORMAL * (1 + Math.abs(xi));
            float d = org.rlhf4j.kernels.scalar.ScalarMath.unaryDerivative(Unary.GELU, 0f, 0f, xi, y[i]);
            double g = Math.abs(dout[i]);
            double bound = g * dd + 2 * U * g * (Math.abs(d) + dd) + 2 * U * (Math.abs(refD[1 + i]) + Math.abs(actD[1 + i]));
            assertClose("geluBackward at x = " + xi, i, refD[1 + i], actD[1 + i], bound + SUBNORMAL);
        }
    }

    @Provide
    Arbitrary<Integer> dims() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 97, 129),
                Arbitraries.integers().between(0, 200));
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.of(1, 1, 2, 3);
    }

    @Property(tries = 60)
    void matmulAgrees(@ForAll("batches") int batch, @ForAll("dims") int M, @ForAll("dims") int K, @ForAll("dims") int N,
                      @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean shareB, @ForAll boolean accumulate,
                      @ForAll("finite") Values values, @ForAll long seed) {
        checkMatmul(OpenClSupport.kernels(), batch, M, K, N, transA, transB, shareB, accumulate, values, seed);
    }

    /** The same with 128 x 128 blocks, 8 x 8 outputs per work item ({@code -Drlhf4j.opencl.matmulBlock=128}). */
    @Property(tries = 60)
    void wideMatmulAgrees(@ForAll("batches") int batch, @ForAll("wideDims") int M, @ForAll("wideDims") int K,
                          @ForAll("wideDims") int N, @ForAll boolean transA, @ForAll boolean transB,
                          @ForAll boolean shareB, @ForAll boolean accumulate, @ForAll("finite") Values values,
                          @ForAll long seed) {
        OpenClSupport.kernels();
        Kernels wide = Wide.KERNELS;
        assertEquals(128, ((org.rlhf4j.kernels.opencl.OpenClKernels) wide).matmulBlock());
        checkMatmul(wide, batch, M, K, N, transA, transB, shareB, accumulate, values, seed);
    }

    /** Sizes around the wide block's edges (and its items' 16-wide strides). */
    @Provide
    Arbitrary<Integer> wideDims() {
        return Arbitraries.oneOf(Arbitraries.of(1, 2, 15, 16, 17, 63, 64, 65, 127, 128, 129, 143, 255, 257),
                Arbitraries.integers().between(0, 300));
    }

    /** The bench's kernel-only timing leaves out = A·B, in both block shapes (it sets its own fields and range). */
    @Test
    void kernelOnlyTimingLeavesTheProduct() {
        OpenClSupport.kernels();
        int M = 70, K = 33, N = 150;
        float[] a = Values.normal(1, M * K), b = Values.normal(2, K * N), want = new float[M * N];
        SCALAR.matmul(want, 0, a, 0, b, 0, 1, M, K, N, false, false, false, false);
        for (Kernels k : new Kernels[] {OpenClSupport.kernels(), Wide.KERNELS}) {
            float[] out = new float[M * N];
            double s = ((org.rlhf4j.kernels.opencl.OpenClKernels) k).matmulKernelSeconds(out, a, b, M, K, N, false,
                    false, 0.01);
            assertTrue(s > 0 && s < 10, "seconds " + s);
            for (int i = 0; i < out.length; i++) {
                assertClose("kernel-only product", i, want[i], out[i], 1e-4 * (1 + Math.abs(want[i])));
            }
        }
    }

    /** OpenCL kernels made with -Drlhf4j.opencl.matmulBlock=128 (set while they are made, then put back). */
    private static final class Wide {
        static final Kernels KERNELS = make();

        private static Kernels make() {
            String p = Backends.OPENCL_MATMUL_BLOCK_PROPERTY, before = System.getProperty(p);
            System.setProperty(p, "128");
            try {
                return Backends.create("opencl", Parallel.sequential());
            } finally {
                if (before == null) {
                    System.clearProperty(p);
                } else {
                    System.setProperty(p, before);
                }
            }
        }
    }

    private static void checkMatmul(Kernels ocl, int batch, int M, int K, int N, boolean transA, boolean transB,
                                    boolean shareB, boolean accumulate, Values values, long seed) {
        float[] a = values.fill(seed, batch * M * K + 3);
        float[] b = values.fill(seed + 1, (shareB ? 1 : batch) * K * N + 1);
        int guard = 20; // past the window, where a store past column n of the last row would land
        float[] out0 = Values.normal(seed + 2, batch * M * N + 2 + guard);
        float[] ref = out0.clone(), act = out0.clone();
        SCALAR.matmul(ref, 2, a, 3, b, 1, batch, M, K, N, transA, transB, shareB, accumulate);
        ocl.matmul(act, 2, a, 3, b, 1, batch, M, K, N, transA, transB, shareB, accumulate);
        for (int i : new int[] {0, 1}) {
            assertEquals(Float.floatToIntBits(out0[i]), Float.floatToIntBits(act[i]), "before the window: untouched");
        }
        for (int i = 2 + batch * M * N; i < out0.length; i++) {
            assertEquals(Float.floatToIntBits(out0[i]), Float.floatToIntBits(act[i]), "after the window: untouched");
        }
        for (int bt = 0; bt < batch; bt++) {
            int ao = 3 + bt * M * K, bo = 1 + (shareB ? 0 : bt * K * N);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double abs = 0;
                    for (int k = 0; k < K; k++) {
                        float aik = transA ? a[ao + k * M + i] : a[ao + i * K + k];
                        float bkj = transB ? b[bo + j * K + k] : b[bo + k * N + j];
                        abs += Math.abs((double) aik * bkj);
                    }
                    int o = 2 + bt * M * N + i * N + j;
                    if (abs + Math.abs(out0[o]) > Float.MAX_VALUE / 2) {
                        continue; // overflow depends on where the roundings fall: no bound to check
                    }
                    double bound = 2.0 * K * U * abs + (accumulate ? 2 * U * (Math.abs(out0[o]) + Math.abs(ref[o])) : 0);
                    assertClose("matmul b" + bt + " (" + i + "," + j + ") " + M + "x" + K + "x" + N
                            + (transA ? " tA" : "") + (transB ? " tB" : ""), o, ref[o], act[o], bound + SUBNORMAL);
                }
            }
        }
    }

    @Provide
    Arbitrary<Values> finite() {
        return Arbitraries.of(Values.class).filter(Values::finite);
    }

    /** A device kernel gives the same bits on every launch, whatever the CPU kernels' thread count. */
    @Test
    void launchesAreReproducible() {
        OpenClSupport.kernels();
        float[] a = Values.normal(1, 70 * 130), b = Values.normal(2, 130 * 90), x = Values.NORMAL.fill(3, 37 * 300);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel p = Parallel.ofThreads(threads)) {
                Kernels k = Backends.create("opencl", p);
                float[] c = new float[70 * 90], y = new float[x.length], ln = new float[x.length];
                float[] mean = new float[37], rstd = new float[37], w = Values.normal(4, 300), bias = Values.normal(5, 300);
                k.matmul(c, 0, a, 0, b, 0, 1, 70, 130, 90, false, false, false, false);
                k.softmaxForward(y, 0, x, 0, 37, 300);
                k.layerNormForward(ln, 0, mean, 0, rstd, 0, x, 0, w, 0, bias, 0, 37, 300, 1e-5f);
                float[][] now = {c, y, ln, mean, rstd};
                if (first == null) {
                    first = now;
                } else {
                    for (int i = 0; i < now.length; i++) {
                        Tolerance.assertSameBits("output " + i + " with " + threads + " threads", first[i], now[i]);
                    }
                }
            }
        }
    }

    /** The products above really ran on an OpenCL device, not on Aparapi's Java thread pool. */
    @Test
    void matmulRunsOnTheOpenClDevice() {
        Kernels ocl = OpenClSupport.kernels();
        assertEquals("opencl", ocl.name());
        org.rlhf4j.kernels.opencl.OpenClKernels k = (org.rlhf4j.kernels.opencl.OpenClKernels) ocl;
        var before = k.transfers().snapshot();
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = new float[4];
        k.matmul(c, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false); // throws if Aparapi fell back to Java
        var one = k.transfers().snapshot().minus(before);
        assertEquals(1, one.launches());
        assertEquals(2, one.puts() + one.skipped(), "A and B go up (a put, or a new buffer filled from them); out,"
                + " wholly overwritten, does not");
        assertEquals(4 * (6 + 6), one.putBytes() + one.skippedBytes());
        assertEquals(1, one.gets());
        assertEquals(4 * 4, one.getBytes());
        float[] wider = new float[6];
        before = k.transfers().snapshot();
        k.matmul(wider, 1, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false);
        var two = k.transfers().snapshot().minus(before);
        assertEquals(3, two.puts() + two.skipped(), "out goes up too: get() copies it whole");
        assertEquals(2, two.puts(), "A and B were bound at the last launch, so their buffers are put; out is new");
        assertTrue(java.util.Arrays.equals(new float[] {58, 64, 139, 154}, c), java.util.Arrays.toString(c));
        assertTrue(k.ranOnOpenCl(), "the last launch ran on " + k.deviceDescription());
    }

    /**
     * Every op the class lists as on the device ({@code ON_DEVICE}, {@code FUSED_ON_DEVICE}) launches a kernel on it
     * for a small shape, rather than only being declared: unary(GELU) was declared, as a bridge to the CPU call of
     * its superclass, and ran on the CPU from 25 Nov to 7 Dec 2026. A new entry in either list needs a case here.
     */
    @Test
    void everyOpListedOnTheDeviceLaunchesThere() {
        org.rlhf4j.kernels.opencl.OpenClKernels k = (org.rlhf4j.kernels.opencl.OpenClKernels) OpenClSupport.kernels();
        int R = 3, V = 5, C = 4, B = 1, T = 3, NH = 2, HS = 2;
        float[] x = Values.normal(1, R * V), y = Values.normal(2, R * V), g = Values.normal(3, R * V);
        float[] w = Values.normal(4, V * C), h = Values.normal(5, R * C), stats = new float[R], stats2 = new float[R];
        float[] qkv = Values.normal(6, B * T * 3 * NH * HS), att = new float[B * T * NH * HS];
        float[] probs = new float[B * NH * T * T];
        int[] targets = {0, 4, 2};
        java.util.Map<String, Runnable> ops = new java.util.LinkedHashMap<>();
        ops.put("matmul", () -> k.matmul(new float[R * C], 0, x, 0, w, 0, 1, R, V, C, false, false, false, false));
        ops.put("softmaxForward", () -> k.softmaxForward(new float[R * V], 0, x, 0, R, V));
        ops.put("softmaxBackward", () -> k.softmaxBackward(new float[R * V], 0, g, 0, y, 0, R, V));
        ops.put("logSoftmaxForward", () -> k.logSoftmaxForward(new float[R * V], 0, x, 0, R, V));
        ops.put("logSoftmaxBackward", () -> k.logSoftmaxBackward(new float[R * V], 0, g, 0, y, 0, R, V));
        ops.put("crossEntropyForward", () -> k.crossEntropyForward(new float[R], 0, stats, 0, x, 0, targets, 0, R, V,
                -100));
        ops.put("crossEntropyBackward", () -> k.crossEntropyBackward(new float[R * V], 0, new float[] {1, 1, 1}, 0, x,
                0, stats, 0, targets, 0, R, V, -100));
        ops.put("layerNormForward", () -> k.layerNormForward(new float[R * C], 0, stats, 0, stats2, 0, h, 0,
                Values.normal(7, C), 0, Values.normal(8, C), 0, R, C, 1e-5f));
        ops.put("layerNormBackward", () -> k.layerNormBackward(new float[R * C], 0, new float[C], 0, new float[C], 0,
                Values.normal(9, R * C), 0, h, 0, Values.normal(7, C), 0, stats, 0, stats2, 0, R, C));
        ops.put("unary(GELU)", () -> k.unary(Unary.GELU, 0f, 0f, new float[R * V], 0, x, 0, R * V));
        ops.put("unaryBackward(GELU)", () -> k.unaryBackward(Unary.GELU, 0f, 0f, new float[R * V], 0, g, 0, x, 0, y, 0,
                R * V));
        ops.put("attentionForward", () -> k.attentionForward(att, 0, probs, 0, qkv, 0, B, T, NH, HS, 0.5f));
        ops.put("attentionBackward", () -> k.attentionBackward(new float[qkv.length], 0, Values.normal(10, att.length),
                0, probs, 0, qkv, 0, B, T, NH, HS, 0.5f));
        float[] lse = new float[R];
        ops.put("linearCrossEntropyForward", () -> k.linearCrossEntropyForward(new float[R], 0, lse, 0, h, 0, w, 0,
                targets, 0, R, C, V, -100, R, null));
        ops.put("linearCrossEntropyBackward", () -> k.linearCrossEntropyBackward(new float[R * C], 0, new float[V * C],
                0, new float[] {1, 1, 1}, 0, h, 0, w, 0, lse, 0, targets, 0, R, C, V, -100, R, null));
        java.util.Set<String> listed = new java.util.LinkedHashSet<>(org.rlhf4j.kernels.opencl.OpenClKernels.ON_DEVICE);
        listed.addAll(org.rlhf4j.kernels.opencl.OpenClKernels.FUSED_ON_DEVICE);
        assertEquals(listed, ops.keySet(), "a case per listed op");
        for (var e : ops.entrySet()) {
            var before = k.transfers().snapshot();
            e.getValue().run();
            var d = k.transfers().snapshot().minus(before);
            assertTrue(d.launches() > 0, e.getKey() + " launched no kernel");
            // one execute per call, passes included: device-only state between two executes is lost when the
            // collector moves its array in between (docs/gpu.md, "Transfers"); the layer norm backward was two
            assertEquals(1, d.executes(), e.getKey() + ": Aparapi executes per call (" + d + ")");
            assertTrue(k.ranOnOpenCl(), e.getKey() + " ran on " + k.deviceDescription());
        }
    }
}
