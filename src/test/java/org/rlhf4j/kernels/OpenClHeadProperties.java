package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rlhf4j.kernels.Tolerance.SUBNORMAL;
import static org.rlhf4j.kernels.Tolerance.U;
import static org.rlhf4j.kernels.Tolerance.assertClose;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rlhf4j.kernels.opencl.OpenClKernels;
import org.rlhf4j.kernels.opencl.TransferStats;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The fused head on the OpenCL device ({@code HeadKernel}) against the scalar reference's fused head, which has
 * the bits of the unfused pair (LinearCrossEntropyProperties). Skipped, with the reason, where there is no
 * OpenCL device.
 *
 * <p>Bounds, to first order, with U = 2^-24 and the OpenCL 1.2 built-ins' bounds of OpenClKernelsProperties
 * (exp 3 ulp, log 3 ulp): a logit is a length-C dot product, {@code |dz| <= e_v = 2 C U sum_c |x_c w_vc|};
 * the logsumexp adds the largest e_v to its own rounding (the bound of the plain cross-entropy test); the loss
 * adds e_t and one subtraction. In the backward each side recomputes its logits and uses its own lse, so
 * {@code p_v = exp(z_v - lse)} moves by {@code p_v (e_v + |d lse| + EXP_REL + 2U)} and
 * {@code dz_v = dl (p_v - [v = t])} by dl times that plus its own two roundings; dx and dw are sums of those
 * terms with weights |w| and |x|, plus the product's reordered-sum bound {@code 2 n U sum |terms|} (n = V for dx,
 * N + 1 for dw, whose rows the device adds chunk by chunk like the CPU) and the final addition to the
 * accumulated value. The counts check that the logits never leave the device: one call copies the same arrays
 * whatever the number of chunks, and launches two kernels per chunk forward and four backward.
 */
class OpenClHeadProperties {

    private static final Kernels SCALAR = new ScalarKernels(Parallel.sequential());
    private static final int IGNORE = -100;
    private static final double EXP_REL = 8 * U, LOG_REL = 8 * U;

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.of(1, 2, 3, 17, 40, 65);
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.of(1, 3, 16, 17, 33, 65);
    }

    @Provide
    Arbitrary<Integer> vocabularies() {
        return Arbitraries.of(1, 2, 17, 64, 65, 129, 300, 600); // 300, 600: more logits a row than items a group
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.of(1, 2, 7, 1000);
    }

    @Property(tries = 40)
    void fusedHeadAgreesWithTheReference(@ForAll("rows") int N, @ForAll("widths") int C,
                                         @ForAll("vocabularies") int V, @ForAll("chunks") int chunk,
                                         @ForAll long seed) {
        OpenClKernels ocl = (OpenClKernels) OpenClSupport.kernels();
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = 3, wOff = 5, tOff = 2;
        float[] x = values(xOff + N * C, rnd), w = values(wOff + V * C, rnd);
        int[] targets = LinearCrossEntropyProperties.targets(tOff, N, V, rnd);
        float[] refLoss = new float[1 + N], refLse = new float[1 + N], loss = new float[2 + N], lse = new float[2 + N];
        float sentinel = LinearCrossEntropyProperties.SENTINEL;
        loss[0] = loss[1 + N] = lse[0] = lse[1 + N] = sentinel;
        SCALAR.linearCrossEntropyForward(refLoss, 1, refLse, 1, x, xOff, w, wOff, targets, tOff, N, C, V, IGNORE, chunk,
                null);
        TransferStats.Snapshot before = ocl.transfers().snapshot();
        float[] offered = new float[N * V];
        assertFalse(ocl.linearCrossEntropyForward(loss, 1, lse, 1, x, xOff, w, wOff, targets, tOff, N, C, V, IGNORE,
                chunk, offered), "the logits stay on the device");
        TransferStats.Snapshot fwd = ocl.transfers().snapshot().minus(before);
        int chunks = (N + Math.min(chunk, N) - 1) / Math.min(chunk, N);
        assertEquals(5, fwd.puts() + fwd.skipped(), "forward copies up, or new buffers filled from: x, w, targets,"
                + " losses, lse (" + fwd + ")");
        assertEquals(2, fwd.gets(), "forward copies down: losses, lse (" + fwd + ")");
        assertEquals(2L * chunks, fwd.launches(), "forward launches: logits and loss rows per chunk");
        LinearCrossEntropyProperties.assertUntouched("losses", loss, 1, N);
        LinearCrossEntropyProperties.assertUntouched("lse", lse, 1, N);

        double[][] e = new double[N][V]; // the logits' error bounds
        double[] dLse = new double[N];
        for (int r = 0; r < N; r++) {
            double maxE = 0;
            float m = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                double abs = 0, z = 0;
                for (int c = 0; c < C; c++) {
                    abs += Math.abs((double) x[xOff + r * C + c] * w[wOff + v * C + c]);
                    z += (double) x[xOff + r * C + c] * w[wOff + v * C + c];
                }
                e[r][v] = 2.0 * C * U * abs;
                maxE = Math.max(maxE, e[r][v]);
                m = Math.max(m, (float) z);
            }
            int t = targets[tOff + r];
            if (t == IGNORE) {
                assertEquals(0f, loss[1 + r], "loss of ignored row " + r);
                assertEquals(0f, lse[1 + r], "lse of ignored row " + r);
                continue;
            }
            double logS = (double) refLse[1 + r] - m;
            dLse[r] = maxE + 2.0 * V * U + EXP_REL + 2 * U + LOG_REL * Math.abs(logS) + 2 * U * Math.abs(refLse[1 + r]);
            assertClose("lse", r, refLse[1 + r], lse[1 + r], dLse[r] + SUBNORMAL);
            assertClose("loss", r, refLoss[1 + r], loss[1 + r],
                    dLse[r] + e[r][t] + 2 * U * Math.abs(refLoss[1 + r]) + SUBNORMAL);
        }

        float[] dlosses = values(N, rnd), dx0 = values(N * C, rnd), dw0 = values(V * C, rnd);
        float[] refDx = dx0.clone(), refDw = dw0.clone();
        float[] dlossesAt4 = new float[4 + N], dx = new float[3 + N * C], dw = new float[2 + V * C];
        System.arraycopy(dlosses, 0, dlossesAt4, 4, N);
        dx[0] = dx[1] = dx[2 + N * C] = dw[0] = dw[1 + V * C] = sentinel;
        System.arraycopy(dx0, 0, dx, 2, N * C);
        System.arraycopy(dw0, 0, dw, 1, V * C);
        SCALAR.linearCrossEntropyBackward(refDx, 0, refDw, 0, dlosses, 0, x, xOff, w, wOff, refLse, 1, targets, tOff,
                N, C, V, IGNORE, chunk, null);
        before = ocl.transfers().snapshot();
        ocl.linearCrossEntropyBackward(dx, 2, dw, 1, dlossesAt4, 4, x, xOff, w, wOff, lse, 1, targets, tOff,
                N, C, V, IGNORE, chunk, null);
        TransferStats.Snapshot bwd = ocl.transfers().snapshot().minus(before);
        assertEquals(7, bwd.puts() + bwd.skipped(), "backward copies up, or new buffers filled from: x, w, lse,"
                + " dlosses, dx, dw, targets (" + bwd + ")");
        assertEquals(2, bwd.gets(), "backward copies down: dx, dw (" + bwd + ")");
        assertEquals(4L * chunks, bwd.launches(), "backward launches: logits, dz, dx, dw per chunk");
        LinearCrossEntropyProperties.assertUntouched("dx", dx, 2, N * C);
        LinearCrossEntropyProperties.assertUntouched("dw", dw, 1, V * C);

        double[][] dz = new double[N][V], dzErr = new double[N][V]; // the reference's dz and its error bound
        for (int r = 0; r < N; r++) {
            int t = targets[tOff + r];
            if (t == IGNORE) {
                continue;
            }
            double dl = Math.abs(dlosses[r]);
            for (int v = 0; v < V; v++) {
                double z = 0;
                for (int c = 0; c < C; c++) {
                    z += (double) x[xOff + r * C + c] * w[wOff + v * C + c];
                }
                double p = Math.exp(z - refLse[1 + r]);
                dz[r][v] = dlosses[r] * (p - (v == t ? 1 : 0));
                dzErr[r][v] = dl * (p * (e[r][v] + dLse[r] + EXP_REL + 2 * U) + 2 * U * (p + 1));
            }
        }
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < C; c++) {
                double prop = 0, terms = 0;
                for (int v = 0; v < V; v++) {
                    prop += dzErr[r][v] * Math.abs(w[wOff + v * C + c]);
                    terms += Math.abs(dz[r][v] * w[wOff + v * C + c]);
                }
                int i = r * C + c;
                double bound = prop + 2.0 * V * U * terms + 2 * U * (Math.abs(dx0[i]) + Math.abs(refDx[i]));
                assertClose("dx (" + r + "," + c + ")", i, refDx[i], dx[2 + i], bound + SUBNORMAL);
            }
        }
        for (int v = 0; v < V; v++) {
            for (int c = 0; c < C; c++) {
                double prop = 0, terms = Math.abs(dw0[v * C + c]);
                for (int r = 0; r < N; r++) {
                    prop += dzErr[r][v] * Math.abs(x[xOff + r * C + c]);
                    terms += Math.abs(dz[r][v] * x[xOff + r * C + c]);
                }
                int i = v * C + c;
                double bound = prop + 2.0 * (N + 1) * U * terms + 2 * U * Math.abs(refDw[i]);
                assertClose("dw (" + v + "," + c + ")", i, refDw[i], dw[1 + i], bound + SUBNORMAL);
            }
        }
    }

    /**
     * Rows the reductions must treat as the reference does, with more logits a row (600) than items a work group
     * (256): a NaN input (lse and loss NaN), logits that overflow to +inf (NaN: inf - inf), logits that are all
     * -inf (lse -inf, loss NaN), an ignored row (0 and 0) and an ordinary one.
     */
    @org.junit.jupiter.api.Test
    void nonFiniteRowsAsTheReference() {
        OpenClKernels ocl = (OpenClKernels) OpenClSupport.kernels();
        int N = 5, C = 2, V = 600;
        float[] w = new float[V * C];
        for (int v = 0; v < V; v++) {
            w[v * C] = 1f;
            w[v * C + 1] = (v % 7) * 0.1f;
        }
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {Float.NaN, 1f, 3e38f, 3e38f, -inf, 0f, 0.5f, -0.5f, 0.25f, 0.75f};
        int[] targets = {3, 5, 7, IGNORE, 11};
        float[] refLoss = new float[N], refLse = new float[N], loss = new float[N], lse = new float[N];
        SCALAR.linearCrossEntropyForward(refLoss, 0, refLse, 0, x, 0, w, 0, targets, 0, N, C, V, IGNORE, N, null);
        ocl.linearCrossEntropyForward(loss, 0, lse, 0, x, 0, w, 0, targets, 0, N, C, V, IGNORE, N, null);
        float[][] expected = {{Float.NaN, Float.NaN}, {Float.NaN, Float.NaN}, {-inf, Float.NaN}, {0f, 0f}};
        for (int r = 0; r < 4; r++) {
            assertEquals(expected[r][0], refLse[r], "the reference's lse of row " + r);
            assertEquals(expected[r][1], refLoss[r], "the reference's loss of row " + r);
            assertEquals(refLse[r], lse[r], "lse of row " + r);
            assertEquals(refLoss[r], loss[r], "loss of row " + r);
        }
        assertClose("lse of the ordinary row", 4, refLse[4], lse[4], 1e-5 * Math.abs(refLse[4]));
        assertClose("loss of the ordinary row", 4, refLoss[4], loss[4], 1e-5 * Math.abs(refLse[4]));
    }

    private static float[] values(int n, SplittableRandom rnd) {
        return LinearCrossEntropyProperties.values(n, rnd);
    }
}
