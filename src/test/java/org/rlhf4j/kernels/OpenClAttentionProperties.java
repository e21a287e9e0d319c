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
import org.rlhf4j.kernels.opencl.OpenClKernels;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The OpenCL attention kernel (one launch forward, two backward) against the scalar reference's composition
 * of the same op, within first-order error bounds. Skipped, with the reason, where no OpenCL device exists.
 *
 * <p>Each side's error against exact arithmetic is bounded by propagating the roundings through the op
 * (recursive sums: 2 n U sum|terms|; OpenCL's exp and division within 8U and 6U of the reference, as in
 * {@link OpenClKernelsProperties}); the two results may then differ by twice that. Forward, with qs = q scale:
 * a score's absolute error is e_tj = (2 HS + 2) U sum_d |qs_d k_jd|; a probability's relative error is
 * rho_t = 2 max_j e_tj (the shift of every score moves P by at most twice the largest) + 4 U max_j |s_tj - m_t|
 * (the rounded s - max inside exp) + (2 n + 16) U (the row sum of n = t + 1 terms, exp, division); the output
 * y_td = sum_j P_tj v_jd errs by at most (rho_t + 2 n U) sum_j P_tj |v_jd|. Backward, from the same saved P:
 * dP_tj = dY_t . v_j errs by a_tj = 2 HS U sum_d |dY_td v_jd|, r_t = sum_j dP_tj P_tj by
 * b_t = sum_j a_tj P_tj + 2 n U sum_j |dP_tj| P_tj, dS_tj = P_tj (dP_tj - r_t) by
 * c_tj = P_tj (a_tj + b_t) + 2 U P_tj |dP_tj - r_t|; dq, dk and dv are sums of n products of those with
 * k, qs and dY (dq_td = scale sum_j dS_tj k_jd, dk_jd = sum_t dS_tj qs_td, dv_jd = sum_t P_tj dY_td); the
 * accumulation into dqkv adds 2 U (|before| + |after|).
 */
class OpenClAttentionProperties {

    private static final Kernels SCALAR = new ScalarKernels(Parallel.sequential());
    private static final double EXP_REL = 8 * U, DIV_REL = 6 * U;
    /**
     * Absolute slack for probabilities below float's normal range (scores 87 or more below the row max at
     * magnitude 4): OpenCL lets a device flush single-precision denormals to zero (CL_FP_DENORM is optional),
     * so a P_tj, and the terms it weighs, may lose up to Float.MIN_NORMAL each.
     */
    private static final double DENORMAL = 4 * (double) Float.MIN_NORMAL + SUBNORMAL;

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.of(1, 2, 3, 7, 16, 17, 33, 64, 65);
    }

    @Provide
    Arbitrary<Integer> headSizes() {
        return Arbitraries.of(1, 2, 3, 16, 17, 32, 64);
    }

    @Property(tries = 60)
    void attentionAgreesWithTheReference(@ForAll("lengths") int T, @ForAll("headSizes") int HS,
                                         @ForAll("heads") int NH, @ForAll("heads") int B,
                                         @ForAll("magnitudes") float magnitude, @ForAll long seed) {
        Kernels ocl = OpenClSupport.kernels();
        // a different offset for every array, so that one array's offset used for another's shows
        int C = NH * HS, n = B * T * C, scores = B * NH * T * T, off = 3, outOff = 5, pOff = 2, doutOff = 7, dOff = 1;
        float scale = (float) (1 / Math.sqrt(HS));
        float[] qkv = Values.normal(seed, off + 3 * n);
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] *= magnitude;
        }
        // forward: outputs at an offset, so that the launch writes a window of each array
        float[] refOut = Values.normal(seed + 3, outOff + n + 2), actOut = refOut.clone();
        float[] refP = Values.normal(seed + 4, pOff + scores + 2), actP = refP.clone();
        SCALAR.attentionForward(refOut, outOff, refP, pOff, qkv, off, B, T, NH, HS, scale);
        ocl.attentionForward(actOut, outOff, actP, pOff, qkv, off, B, T, NH, HS, scale);
        untouchedOutside("out", refOut, actOut, outOff, n);
        untouchedOutside("P", refP, actP, pOff, scores);
        Heads h = new Heads(qkv, off, B, T, NH, HS, scale);
        for (int b = 0; b < B; b++) {
            for (int hd = 0; hd < NH; hd++) {
                for (int t = 0; t < T; t++) {
                    int row = pOff + ((b * NH + hd) * T + t) * T;
                    double rho = h.rho(b, hd, t);
                    for (int j = 0; j < T; j++) {
                        double bound = 2 * rho * Math.abs(refP[row + j]) + DENORMAL;
                        assertClose("P[" + b + "," + hd + "," + t + "," + j + "] T=" + T + " HS=" + HS, j,
                                refP[row + j], actP[row + j], bound);
                    }
                    for (int d = 0; d < HS; d++) {
                        double mag = 0;
                        for (int j = 0; j <= t; j++) {
                            mag += refP[row + j] * Math.abs(h.at(b, j, 2, hd, d));
                        }
                        int o = outOff + (b * T + t) * C + hd * HS + d;
                        double bound = 2 * (rho + 2 * (t + 1) * U) * mag + DENORMAL * (1 + h.vMax(b, hd, d));
                        assertClose("y[" + b + "," + t + "," + hd + "," + d + "] T=" + T + " HS=" + HS, o,
                                refOut[o], actOut[o], bound);
                    }
                }
            }
        }
        // backward from the reference's P, into a dqkv that already holds a gradient
        float[] dout = Values.normal(seed + 1, doutOff + n), base = Values.normal(seed + 2, dOff + 3 * n + 2);
        float[] refD = base.clone(), actD = base.clone();
        SCALAR.attentionBackward(refD, dOff, dout, doutOff, refP, pOff, qkv, off, B, T, NH, HS, scale);
        ocl.attentionBackward(actD, dOff, dout, doutOff, refP, pOff, qkv, off, B, T, NH, HS, scale);
        double[] bound = h.backwardBounds(refP, pOff, dout, doutOff);
        double weigh = T * (1 + maxAbs(qkv)) * (1 + maxAbs(qkv) + maxAbs(dout)); // what a row of flushed terms weighs
        for (int i = 0; i < 3 * n; i++) {
            int o = dOff + i;
            double tol = 2 * bound[i] + 2 * U * (Math.abs(base[o]) + Math.abs(refD[o])) + DENORMAL * weigh;
            assertClose("dqkv[" + i + "] T=" + T + " HS=" + HS + " NH=" + NH + " B=" + B, o, refD[o], actD[o], tol);
        }
        untouchedOutside("dqkv", base, actD, dOff, 3 * n);
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Outside [off, off + n) the kernel wrote nothing: the bits the array had before the call. */
    private static void untouchedOutside(String what, float[] before, float[] after, int off, int n) {
        for (int i = 0; i < before.length; i++) {
            if (i < off || i >= off + n) {
                assertEquals(Float.floatToIntBits(before[i]), Float.floatToIntBits(after[i]),
                        what + "[" + i + "], outside the window [" + off + ", " + (off + n) + "): untouched");
            }
        }
    }

    @Provide
    Arbitrary<Integer> heads() {
        return Arbitraries.of(1, 2, 3);
    }

    @Provide
    Arbitrary<Float> magnitudes() {
        return Arbitraries.of(0.1f, 1f, 4f);
    }

    /** One launch forward and two backward, on the device, with only qkv up (and out, P down) forward. */
    @Test
    void attentionRunsOnTheDeviceInOneLaunchForwardAndTwoBackward() {
        OpenClKernels k = (OpenClKernels) OpenClSupport.kernels();
        int B = 2, T = 9, NH = 2, HS = 4, n = B * T * NH * HS;
        float[] qkv = Values.normal(5, 3 * n), out = new float[n], p = new float[B * NH * T * T];
        var before = k.transfers().snapshot();
        k.attentionForward(out, 0, p, 0, qkv, 0, B, T, NH, HS, 0.5f);
        var fwd = k.transfers().snapshot().minus(before);
        assertEquals(1, fwd.launches());
        assertEquals(1, fwd.puts() + fwd.skipped(), "qkv goes up (a put, or its new buffer); out and P, overwritten"
                + " whole, do not");
        assertEquals(2, fwd.gets());
        assertTrue(k.ranOnOpenCl(), "the last launch ran on " + k.deviceDescription());
        float[] dqkv = new float[3 * n];
        before = k.transfers().snapshot();
        k.attentionBackward(dqkv, 0, Values.normal(6, n), 0, p, 0, qkv, 0, B, T, NH, HS, 0.5f);
        var bwd = k.transfers().snapshot().minus(before);
        assertEquals(2, bwd.launches());
        assertEquals(4, bwd.puts() + bwd.skipped(), "qkv, P, dout and the accumulated dqkv go up; dS stays on the"
                + " device");
        assertEquals(1, bwd.gets());
        assertTrue(k.ranOnOpenCl());
    }

    /** The heads of a qkv array, read in double, and the error bounds of the class comment. */
    private static final class Heads {
        final float[] qkv;
        final int off, B, T, NH, HS;
        final double scale;

        Heads(float[] qkv, int off, int B, int T, int NH, int HS, float scale) {
            this.qkv = qkv;
            this.off = off;
            this.B = B;
            this.T = T;
            this.NH = NH;
            this.HS = HS;
            this.scale = scale;
        }

        /** Element d of head h's part (0 q, 1 k, 2 v) at position t of batch row b. */
        double at(int b, int t, int part, int h, int d) {
            return qkv[off + ((b * T + t) * 3 + part) * NH * HS + h * HS + d];
        }

        /** The largest |v_jd| of head h, element d, batch row b: what a flushed P can weigh. */
        double vMax(int b, int h, int d) {
            double m = 0;
            for (int j = 0; j < T; j++) {
                m = Math.max(m, Math.abs(at(b, j, 2, h, d)));
            }
            return m;
        }

        double score(int b, int h, int t, int j) {
            double s = 0;
            for (int d = 0; d < HS; d++) {
                s += at(b, t, 0, h, d) * scale * at(b, j, 1, h, d);
            }
            return s;
        }

        /** rho_t: the relative error bound of one side's P_tj, j &lt;= t. */
        double rho(int b, int h, int t) {
            double maxE = 0, m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= t; j++) {
                double abs = 0;
                for (int d = 0; d < HS; d++) {
                    abs += Math.abs(at(b, t, 0, h, d) * scale * at(b, j, 1, h, d));
                }
                maxE = Math.max(maxE, (2.0 * HS + 2) * U * abs);
                m = Math.max(m, score(b, h, t, j));
            }
            double spread = 0;
            for (int j = 0; j <= t; j++) {
                spread = Math.max(spread, m - score(b, h, t, j));
            }
            return 2 * maxE + 4 * U * spread + 2.0 * (t + 1) * U + EXP_REL + DIV_REL + 2 * U;
        }

        /** One side's error bound for every element of dqkv (B, T, 3C), before the accumulation. */
        double[] backwardBounds(float[] p, int pOff, float[] dout, int doutOff) {
            int C = NH * HS;
            double[] bound = new double[B * T * 3 * C];
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < NH; h++) {
                    double[][] dP = new double[T][T], a = new double[T][T], dS = new double[T][T], c = new double[T][T];
                    double[][] P = new double[T][T];
                    for (int t = 0; t < T; t++) {
                        double r = 0, rAbs = 0, aP = 0;
                        for (int j = 0; j <= t; j++) {
                            P[t][j] = p[pOff + ((b * NH + h) * T + t) * T + j];
                            double s = 0, abs = 0;
                            for (int d = 0; d < HS; d++) {
                                double term = dout[doutOff + (b * T + t) * C + h * HS + d] * at(b, j, 2, h, d);
                                s += term;
                                abs += Math.abs(term);
                            }
                            dP[t][j] = s;
                            a[t][j] = 2.0 * HS * U * abs;
                            r += s * P[t][j];
                            rAbs += Math.abs(s) * P[t][j];
                            aP += a[t][j] * P[t][j];
                        }
                        double bt = aP + 2.0 * (t + 1) * U * rAbs;
                        for (int j = 0; j <= t; j++) {
                            dS[t][j] = P[t][j] * (dP[t][j] - r);
                            c[t][j] = P[t][j] * (a[t][j] + bt) + 2 * U * P[t][j] * Math.abs(dP[t][j] - r);
                        }
                    }
                    for (int t = 0; t < T; t++) {
                        for (int d = 0; d < HS; d++) {
                            double err = 0, abs = 0;
                            for (int j = 0; j <= t; j++) { // dq_td = scale sum_j dS_tj k_jd
                                err += c[t][j] * Math.abs(at(b, j, 1, h, d));
                                abs += Math.abs(dS[t][j] * at(b, j, 1, h, d));
                            }
                            bound[((b * T + t) * 3) * C + h * HS + d] = scale * (err + (2.0 * (t + 1) + 2) * U * abs);
                        }
                    }
                    for (int j = 0; j < T; j++) {
                        for (int d = 0; d < HS; d++) {
                            double errK = 0, absK = 0, absV = 0;
                            for (int t = j; t < T; t++) {
                                double qs = Math.abs(at(b, t, 0, h, d) * scale);
                                errK += c[t][j] * qs;
                                absK += Math.abs(dS[t][j]) * qs;
                                absV += P[t][j] * Math.abs(dout[doutOff + (b * T + t) * C + h * HS + d]);
                            }
                            int m = T - j;
                            bound[((b * T + j) * 3 + 1) * C + h * HS + d] = errK + (2.0 * m + 2) * U * absK;
                            bound[((b * T + j) * 3 + 2) * C + h * HS + d] = 2.0 * m * U * absV;
                        }
                    }
                }
            }
            return bound;
        }
    }
}
