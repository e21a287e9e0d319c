package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.rlhf4j.kernels.Tolerance.SUBNORMAL;
import static org.rlhf4j.kernels.Tolerance.U;
import static org.rlhf4j.kernels.Tolerance.assertClose;
import static org.rlhf4j.kernels.Tolerance.assertSameBits;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.scalar.ScalarKernels;
import org.rlhf4j.kernels.scalar.ScalarMath;

/**
 * The SIMD kernels agree with the scalar reference on generated shapes (0, 1, lane width +-1,
 * primes, a few hundred; broadcast and transposed strides) and values ({@link Values}: huge, tiny,
 * shifted by +-1e4, mixed), for every method of {@link Kernels}.
 *
 * <p>Where both sides do the same IEEE operations in the same order, the bits must match (binary
 * ops, neg/abs/relu/sqrt/clamp/scale, most derivatives, fill, addScaled, the column sums, and the
 * inherited ops). Elsewhere the bound is derived from the computation, with U = 2^-24:
 * <ul>
 * <li>exp: the SIMD kernels use their own vector exp (VectorMath.exp: Cody-Waite reduction and
 *     Cephes' degree-7 polynomial, only IEEE operations, so that compiled and interpreted code give
 *     the same bits). Measured against (float) Math.exp on every third float of [-104, 89]
 *     (746 million inputs, subnormal results included) on JDK 17.0.15: max error 0.98 ulp. The
 *     bound used is {@link #EXP_ULPS} = 2 ulps, relative 4U. (The Vector API's own EXP, SVML in
 *     compiled code, is within 1 ulp but differs from its interpreter fallback, Math.exp, in the
 *     last bit for some inputs, e.g. e^-9.769291; that is why it is not used.)
 *     log, tanh, log-sigmoid and pow run the reference's scalar code in the SIMD kernels too.
 * <li>a length-n sum in another order: |difference| <= 2 n U sum |terms| (each recursive sum is
 *     within (n - 1) U sum |terms| of the exact one).
 * <li>composed functions: a count of roundings, each named where the bound is computed.
 * </ul>
 */
class KernelsProperties {

    private static final Kernels SCALAR = new ScalarKernels(Parallel.sequential());
    private static final Kernels SIMD = Backends.create("simd", Parallel.sequential());
    private static final int IGNORE = -100;
    /** Error bound of the vector exp in ulps (measured 0.98), and as a relative error. */
    private static final int EXP_ULPS = 2;
    private static final double EXP_REL = 2 * EXP_ULPS * U;

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 48, 49, 97, 127, 128, 129, 257, 509, 768),
                Arbitraries.integers().between(0, 400));
    }

    @Provide
    Arbitrary<Values> finite() {
        return Arbitraries.of(Values.class).filter(Values::finite);
    }

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.of(0, 1, 2, 3, 5, 8);
    }

    // ------------------------------------------------------------------------------------------
    // elementwise
    // ------------------------------------------------------------------------------------------

    /** How an operand of a (B, R, C) binary op is laid out. */
    enum Layout {
        CONTIGUOUS, BIAS, ROW_SCALAR, MIDDLE_BROADCAST, SCALAR, TRANSPOSED;

        /** Strides over (B, R, C). */
        int[] strides(int[] shape) {
            int b = shape[0], r = shape[1], c = shape[2];
            switch (this) {
                case CONTIGUOUS: return new int[] {r * c, c, 1};
                case BIAS: return new int[] {0, 0, 1};             // (C) added to every row
                case ROW_SCALAR: return new int[] {r, 1, 0};       // (B, R, 1): one value per row
                case MIDDLE_BROADCAST: return new int[] {c, 0, 1}; // (B, 1, C)
                case SCALAR: return new int[] {0, 0, 0};
                case TRANSPOSED: return new int[] {r * c, 1, r};   // stored (B, C, R)
                default: throw new AssertionError(this);
            }
        }

        /** Elements of the storage. */
        int storage(int[] shape) {
            int b = shape[0], r = shape[1], c = shape[2];
            switch (this) {
                case CONTIGUOUS: case TRANSPOSED: return b * r * c;
                case BIAS: return c;
                case ROW_SCALAR: return b * r;
                case MIDDLE_BROADCAST: return b * c;
                case SCALAR: return 1;
                default: throw new AssertionError(this);
            }
        }
    }

    @Property(tries = 400)
    void binaryIsBitIdentical(@ForAll Binary op, @ForAll("rows") int batch, @ForAll("rows") int rows,
                              @ForAll("sizes") int cols, @ForAll Layout la, @ForAll Layout lb,
                              @ForAll Values values, @ForAll long seed) {
        int[] shape = {batch, rows, cols};
        float[] a = values.fill(seed, la.storage(shape) + 2), b = values.fill(seed + 1, lb.storage(shape) + 1);
        int n = batch * rows * cols;
        float[] ref = new float[n + 3], act = new float[n + 3];
        SCALAR.binary(op, ref, 3, a, 2, la.strides(shape), b, 1, lb.strides(shape), shape);
        SIMD.binary(op, act, 3, a, 2, la.strides(shape), b, 1, lb.strides(shape), shape);
        assertSameBits("binary " + op + " " + la + " " + lb, ref, act);
    }

    /** NaN, signed zeros, infinities and ties in both operands, for every op and both vector paths. */
    @Property(tries = 200)
    void binaryOnSpecialValuesIsBitIdentical(@ForAll Binary op, @ForAll("sizes") int cols,
                                             @ForAll boolean broadcastB, @ForAll long seed) {
        binaryIsBitIdentical(op, 2, 3, cols, Layout.CONTIGUOUS, broadcastB ? Layout.ROW_SCALAR : Layout.CONTIGUOUS,
                Values.SPECIAL, seed);
    }

    @Property(tries = 100)
    void binaryBackwardIsBitIdentical(@ForAll Binary op, @ForAll boolean wrtA, @ForAll("rows") int rows,
                                      @ForAll("sizes") int cols, @ForAll Layout lb, @ForAll Values values,
                                      @ForAll long seed) {
        int[] shape = {2, rows, cols};
        float[] a = values.fill(seed, Layout.CONTIGUOUS.storage(shape)), b = values.fill(seed + 1, lb.storage(shape));
        float[] dout = Values.normal(seed + 2, a.length);
        float[] ref = new float[a.length], act = new float[a.length];
        SCALAR.binaryBackward(op, wrtA, ref, 0, dout, 0, a, 0, Layout.CONTIGUOUS.strides(shape), b, 0, lb.strides(shape), shape);
        SIMD.binaryBackward(op, wrtA, act, 0, dout, 0, a, 0, Layout.CONTIGUOUS.strides(shape), b, 0, lb.strides(shape), shape);
        assertSameBits("binaryBackward " + op, ref, act);
    }

    /** The op's parameters p, q, drawn from the seed. */
    private static float[] params(Unary op, long seed, Values values) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        switch (op) {
            case SCALE: return new float[] {(float) Values.gaussian(r) * 3, 0f};
            case ADD_SCALAR: return new float[] {values.next(r), 0f};
            case POW_SCALAR: return new float[] {new float[] {2f, 0.5f, 3f, -1f, 1.5f, 0f, -2.5f}[r.nextInt(7)], 0f};
            case CLAMP: {
                float p = values.next(r), q = values.next(r);
                return new float[] {Math.min(p, q), Math.max(p, q)};
            }
            default: return new float[] {0f, 0f};
        }
    }

    /** GELU's sigmoid argument z = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), in double. */
    private static double geluZ(float x) {
        return 2.0 * ScalarMath.GELU_SCALE * (x + ScalarMath.GELU_CUBIC * (double) x * x * x);
    }

    /** Bound on |simd - reference| for unary op at x; negative for ops that must match bit for bit. */
    private static double unaryBound(Unary op, float x, float ref, float act) {
        switch (op) {
            case EXP:
                return EXP_ULPS * Tolerance.ulp(ref, act);
            case SIGMOID: // e^-|x| (EXP_REL), 1 + e (U), 1 / (.) (U), e * (.) (U), reference's rounding (U)
                return (EXP_REL + 4 * U) * Math.abs(ref) + SUBNORMAL;
            case GELU: { // z in float: 4 roundings, so |dz| <= 4U|z|, and sigmoid(z) moves by <= |dz| relatively;
                         // then the sigmoid's EXP_REL + 3U, x * s (U) and the reference's rounding (U)
                double z = geluZ(x);
                return ((4 * Math.abs(z) + 5) * U + EXP_REL) * Math.abs(ref) + SUBNORMAL * (1 + Math.abs(x));
            }
            default:
                return -1;
        }
    }

    @Property(tries = 600)
    void unaryAgrees(@ForAll Unary op, @ForAll("sizes") int n, @ForAll Values values, @ForAll long seed) {
        float[] x = values.fill(seed, n + 3), pq = params(op, seed, values);
        float[] ref = new float[n + 1], act = new float[n + 1];
        SCALAR.unary(op, pq[0], pq[1], ref, 1, x, 3, n);
        SIMD.unary(op, pq[0], pq[1], act, 1, x, 3, n);
        if (unaryBound(op, 0f, 1f, 1f) < 0) {
            assertSameBits("unary " + op, ref, act);
            return;
        }
        for (int i = 0; i < n; i++) {
            assertClose("unary " + op + " at x = " + x[3 + i], i, ref[1 + i], act[1 + i],
                    unaryBound(op, x[3 + i], ref[1 + i], act[1 + i]));
        }
    }

    /** NaN, signed zeros, infinities and float's extremes through every op and its derivative. */
    @Property(tries = 200)
    void unaryOnSpecialValuesAgrees(@ForAll Unary op, @ForAll("sizes") int n, @ForAll long seed) {
        unaryAgrees(op, n, Values.SPECIAL, seed);
        unaryBackwardAgrees(op, n, Values.SPECIAL, seed);
    }

    /**
     * Bound on the derivative, or -1 where the vector code does the reference's float operations.
     * GELU: s + 2 x s (1 - s) du, each of its terms within (8|z| + 16) U relatively (z's error
     * enters s and 1 - s, then the exp and about ten roundings); the terms may cancel, so the bound
     * is on the sum of their magnitudes. LOG_SIGMOID: a sigmoid, EXP_REL + 4U as above.
     */
    private static double derivativeBound(Unary op, float x, float refDerivative) {
        switch (op) {
            case GELU: {
                double z = geluZ(x);
                double s = 1 / (1 + Math.exp(-z)), du = ScalarMath.GELU_SCALE * (1 + 3 * ScalarMath.GELU_CUBIC * (double) x * x);
                double terms = Math.abs(s) + Math.abs(2 * x * s * (1 - s) * du);
                return ((8 * Math.abs(z) + 16) * U + EXP_REL) * terms + SUBNORMAL * (1 + Math.abs(x));
            }
            case LOG_SIGMOID:
                return (EXP_REL + 4 * U) * Math.abs(refDerivative) + SUBNORMAL;
            default:
                return -1;
        }
    }

    @Property(tries = 600)
    void unaryBackwardAgrees(@ForAll Unary op, @ForAll("sizes") int n, @ForAll Values values, @ForAll long seed) {
        float[] x = values.fill(seed, n), pq = params(op, seed, values);
        float[] y = new float[n], dout = Values.normal(seed + 1, n), dinp0 = Values.normal(seed + 2, n + 1);
        SCALAR.unary(op, pq[0], pq[1], y, 0, x, 0, n);
        float[] ref = dinp0.clone(), act = dinp0.clone();
        SCALAR.unaryBackward(op, pq[0], pq[1], ref, 1, dout, 0, x, 0, y, 0, n);
        SIMD.unaryBackward(op, pq[0], pq[1], act, 1, dout, 0, x, 0, y, 0, n);
        if (derivativeBound(op, 0f, 1f) < 0) {
            assertSameBits("unaryBackward " + op, ref, act);
            return;
        }
        for (int i = 0; i < n; i++) {
            float d = ScalarMath.unaryDerivative(op, pq[0], pq[1], x[i], y[i]);
            double dd = derivativeBound(op, x[i], d), g = Math.abs(dout[i]);
            // dinp + g d: |g| dd from d, then the roundings of g d and of the sum on both sides
            double bound = g * dd + 2 * U * g * (Math.abs(d) + dd) + 2 * U * (Math.abs(ref[1 + i]) + Math.abs(act[1 + i]));
            assertClose("unaryBackward " + op + " at x = " + x[i], i, ref[1 + i], act[1 + i], bound + SUBNORMAL);
        }
    }

    @Property(tries = 100)
    void addScaledAndFillAreBitIdentical(@ForAll("sizes") int n, @ForAll Values values, @ForAll long seed) {
        float[] src = values.fill(seed, n + 1), dst = values.fill(seed + 1, n + 2);
        float alpha = (float) Values.gaussian(new SplittableRandom(seed));
        float[] ref = dst.clone(), act = dst.clone();
        SCALAR.addScaled(ref, 2, src, 1, alpha, n);
        SIMD.addScaled(act, 2, src, 1, alpha, n);
        assertSameBits("addScaled", ref, act);
        SCALAR.fill(ref, 1, alpha, n);
        SIMD.fill(act, 1, alpha, n);
        assertSameBits("fill", ref, act);
    }

    @Property(tries = 50)
    void whereAndStridedCopiesAreBitIdentical(@ForAll("rows") int rows, @ForAll("sizes") int cols,
                                              @ForAll Layout lc, @ForAll Layout la, @ForAll Values values,
                                              @ForAll long seed) {
        int[] shape = {2, rows, cols};
        int n = 2 * rows * cols;
        float[] cond = Values.normal(seed, lc.storage(shape));
        for (int i = 0; i < cond.length; i += 3) {
            cond[i] = 0f;
        }
        float[] a = values.fill(seed + 1, la.storage(shape)), b = values.fill(seed + 2, n);
        int[] contiguous = Layout.CONTIGUOUS.strides(shape);
        float[] ref = new float[n], act = new float[n];
        SCALAR.where(ref, 0, cond, 0, lc.strides(shape), a, 0, la.strides(shape), b, 0, contiguous, shape);
        SIMD.where(act, 0, cond, 0, lc.strides(shape), a, 0, la.strides(shape), b, 0, contiguous, shape);
        assertSameBits("where", ref, act);
        SCALAR.copyStrided(ref, 0, a, 0, la.strides(shape), shape);
        SIMD.copyStrided(act, 0, a, 0, la.strides(shape), shape);
        assertSameBits("copyStrided", ref, act);
        float[] accRef = a.clone(), accAct = a.clone();
        SCALAR.accumulateStrided(accRef, 0, la.strides(shape), b, 0, shape);
        SIMD.accumulateStrided(accAct, 0, la.strides(shape), b, 0, shape);
        assertSameBits("accumulateStrided", accRef, accAct);
    }

    // ------------------------------------------------------------------------------------------
    // reductions
    // ------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void sumAxisAgrees(@ForAll("rows") int outer, @ForAll("sizes") int n, @ForAll("inners") int inner,
                       @ForAll("finite") Values values, @ForAll long seed) {
        float[] x = values.fill(seed, outer * n * inner + 1);
        float[] ref = new float[outer * inner], act = new float[outer * inner];
        SCALAR.sumAxis(ref, 0, x, 1, outer, n, inner);
        SIMD.sumAxis(act, 0, x, 1, outer, n, inner);
        if (inner != 1) { // column sums: vectors of adjacent outputs, summed down the axis in the reference's order
            assertSameBits("sumAxis inner " + inner, ref, act);
            return;
        }
        for (int o = 0; o < outer; o++) {
            double abs = 0;
            for (int j = 0; j < n; j++) {
                abs += Math.abs(x[1 + o * n + j]);
            }
            assertClose("sumAxis row " + o, o, ref[o], act[o], 2.0 * n * U * abs + SUBNORMAL);
        }
    }

    @Provide
    Arbitrary<Integer> inners() {
        return Arbitraries.of(1, 1, 1, 2, 3, 15, 16, 17, 33, 64);
    }

    @Property(tries = 100)
    void inheritedReductionsAreBitIdentical(@ForAll("rows") int outer, @ForAll("sizes") int n, @ForAll("inners") int inner,
                                            @ForAll Values values, @ForAll long seed) {
        int size = outer * Math.max(1, n) * inner;
        float[] x = values.fill(seed, size), dout = Values.normal(seed + 1, outer * inner);
        float[] refOut = new float[outer * inner], actOut = new float[outer * inner];
        int[] refArg = new int[outer * inner], actArg = new int[outer * inner];
        SCALAR.maxAxis(refOut, 0, refArg, 0, x, 0, outer, Math.max(1, n), inner);
        SIMD.maxAxis(actOut, 0, actArg, 0, x, 0, outer, Math.max(1, n), inner);
        assertSameBits("maxAxis", refOut, actOut);
        assertArrayEquals(refArg, actArg, "argmax");
        float[] refD = Values.normal(seed + 2, size), actD = refD.clone();
        SCALAR.maxAxisBackward(refD, 0, dout, 0, refArg, 0, outer, Math.max(1, n), inner);
        SIMD.maxAxisBackward(actD, 0, dout, 0, refArg, 0, outer, Math.max(1, n), inner);
        SCALAR.sumAxisBackward(refD, 0, dout, 0, outer, Math.max(1, n), inner);
        SIMD.sumAxisBackward(actD, 0, dout, 0, outer, Math.max(1, n), inner);
        assertSameBits("maxAxisBackward + sumAxisBackward", refD, actD);
    }

    // ------------------------------------------------------------------------------------------
    // softmax family
    // ------------------------------------------------------------------------------------------

    /** rows x cols logits in the regime; when masked, a third of them -inf and row 0 wholly. */
    private static float[] logits(Values values, long seed, int rows, int cols, boolean masked) {
        float[] x = values.fill(seed, rows * cols);
        if (masked) {
            SplittableRandom r = new SplittableRandom(seed + 7);
            for (int i = 0; i < x.length; i++) {
                if (i < cols || r.nextInt(3) == 0) {
                    x[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return x;
    }

    @Property(tries = 300)
    void softmaxAgrees(@ForAll("rows") int rows, @ForAll("sizes") int cols, @ForAll("finite") Values values,
                       @ForAll boolean masked, @ForAll long seed) {
        float[] x = logits(values, seed, rows, cols, masked);
        float[] ref = new float[x.length], act = new float[x.length];
        SCALAR.softmaxForward(ref, 0, x, 0, rows, cols);
        SIMD.softmaxForward(act, 0, x, 0, rows, cols);
        // e^(x - m) within EXP_REL each, their sum within 2 cols U (another order), then 1/s and
        // the product (U each, both sides): relative 2 EXP_REL + (2 cols + 4) U
        for (int i = 0; i < x.length; i++) {
            double rel = 2 * EXP_REL + (2.0 * cols + 4) * U;
            assertClose("softmax", i, ref[i], act[i], rel * Math.abs(ref[i]) + SUBNORMAL);
        }
        // backward: dot = sum_k dout y within 2 (cols + 1) U sum |dout y|, then y (dout - dot) + dinp
        float[] dout = Values.normal(seed + 3, x.length), refD = Values.normal(seed + 4, x.length), actD = refD.clone();
        float[] dinp0 = refD.clone();
        SCALAR.softmaxBackward(refD, 0, dout, 0, ref, 0, rows, cols);
        SIMD.softmaxBackward(actD, 0, dout, 0, ref, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
            double dot = 0, abs = 0;
            for (int k = 0; k < cols; k++) {
                dot += (double) dout[r * cols + k] * ref[r * cols + k];
                abs += Math.abs((double) dout[r * cols + k] * ref[r * cols + k]);
            }
            double dDot = 2.0 * (cols + 1) * U * abs;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double y = Math.abs(ref[j]), g = Math.abs(dout[j]) + Math.abs(dot) + dDot;
                double bound = y * (dDot + 4 * U * g) + 2 * U * (Math.abs(dinp0[j]) + Math.abs(refD[j]) + y * g);
                assertClose("softmaxBackward", j, refD[j], actD[j], bound + SUBNORMAL);
            }
        }
    }

    /** Bound on two log-sum-exps of a row: sums 2 cols U + EXP_REL, log and m + log rounded (U each, both sides). */
    private static double lseBound(int cols, float m, float lse) {
        double logS = (double) lse - m;
        return 2.0 * cols * U + EXP_REL + 2 * U + 2 * U * Math.abs(logS) + 2 * U * Math.abs(lse) + SUBNORMAL;
    }

    private static float rowMax(float[] x, int off, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    @Property(tries = 300)
    void logSoftmaxAgrees(@ForAll("rows") int rows, @ForAll("sizes") int cols, @ForAll("finite") Values values,
                          @ForAll boolean masked, @ForAll long seed) {
        float[] x = logits(values, seed, rows, cols, masked);
        float[] ref = new float[x.length], act = new float[x.length];
        SCALAR.logSoftmaxForward(ref, 0, x, 0, rows, cols);
        SIMD.logSoftmaxForward(act, 0, x, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
            float m = rowMax(x, r * cols, cols);
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                float lse = x[j] - ref[j]; // the reference's logsumexp, to within a rounding
                double bound = lseBound(cols, m, lse) + 2 * U * Math.abs(ref[j]);
                assertClose("logSoftmax", j, ref[j], act[j], bound);
            }
        }
        // backward: sum_k dout within 2 cols U sum |dout|; e^out within EXP_REL; then dout - e sum + dinp
        float[] dout = Values.normal(seed + 3, x.length), refD = Values.normal(seed + 4, x.length), actD = refD.clone();
        float[] dinp0 = refD.clone();
        SCALAR.logSoftmaxBackward(refD, 0, dout, 0, ref, 0, rows, cols);
        SIMD.logSoftmaxBackward(actD, 0, dout, 0, ref, 0, rows, cols);
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

    @Property(tries = 300)
    void crossEntropyAgrees(@ForAll("rows") int rows, @ForAll("sizes") int vocab, @ForAll("finite") Values values,
                            @ForAll long seed) {
        int V = Math.max(1, vocab);
        float[] x = values.fill(seed, rows * V + 1);
        int[] targets = new int[rows + 2];
        SplittableRandom r = new SplittableRandom(seed + 5);
        for (int i = 0; i < targets.length; i++) {
            targets[i] = r.nextInt(4) == 0 ? IGNORE : r.nextInt(V);
        }
        float[] refLoss = new float[rows], actLoss = new float[rows], refLse = new float[rows + 1], actLse = new float[rows + 1];
        SCALAR.crossEntropyForward(refLoss, 0, refLse, 1, x, 1, targets, 2, rows, V, IGNORE);
        SIMD.crossEntropyForward(actLoss, 0, actLse, 1, x, 1, targets, 2, rows, V, IGNORE);
        for (int i = 0; i < rows; i++) {
            double bound = lseBound(V, rowMax(x, 1 + i * V, V), refLse[1 + i]);
            assertClose("crossEntropy lse", i, refLse[1 + i], actLse[1 + i], bound);
            assertClose("crossEntropy loss", i, refLoss[i], actLoss[i], bound + 2 * U * Math.abs(refLoss[i]));
        }
        // backward from the same saved lse: p = e^(x - lse) within EXP_REL, then dl (p - [t]) + dlogits
        float[] dlosses = Values.normal(seed + 6, rows), refD = Values.normal(seed + 7, rows * V), actD = refD.clone();
        float[] d0 = refD.clone();
        SCALAR.crossEntropyBackward(refD, 0, dlosses, 0, x, 1, refLse, 1, targets, 2, rows, V, IGNORE);
        SIMD.crossEntropyBackward(actD, 0, dlosses, 0, x, 1, refLse, 1, targets, 2, rows, V, IGNORE);
        for (int i = 0; i < rows * V; i++) {
            int row = i / V;
            double p = Math.exp((double) x[1 + i] - refLse[1 + row]), dl = Math.abs(dlosses[row]);
            double bound = dl * EXP_REL * p + 2 * U * dl * (p + 1) + 2 * U * (Math.abs(d0[i]) + Math.abs(refD[i]));
            assertClose("crossEntropyBackward", i, refD[i], actD[i], bound + SUBNORMAL);
        }
    }

    // ------------------------------------------------------------------------------------------
    // layer norm
    // ------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void layerNormAgrees(@ForAll("rows") int N, @ForAll("sizes") int channels, @ForAll("finite") Values values, @ForAll long seed) {
        int C = Math.max(1, channels);
        float eps = 1e-5f;
        float[] x = values.fill(seed, N * C), w = Values.normal(seed + 1, C), b = Values.normal(seed + 2, C);
        float[] ref = new float[N * C], act = new float[N * C];
        float[] refMean = new float[N], actMean = new float[N], refRstd = new float[N], actRstd = new float[N];
        SCALAR.layerNormForward(ref, 0, refMean, 0, refRstd, 0, x, 0, w, 0, b, 0, N, C, eps);
        SIMD.layerNormForward(act, 0, actMean, 0, actRstd, 0, x, 0, w, 0, b, 0, N, C, eps);
        for (int n = 0; n < N; n++) {
            float m = refMean[n], s = refRstd[n];
            double maxDev = 0;
            for (int c = 0; c < C; c++) {
                maxDev = Math.max(maxDev, Math.abs((double) x[n * C + c] - m));
            }
            // mean: the SIMD sum of (x - x0), |x - x0| <= 2 maxDev, in another order: 2 (C + 2) U maxDev,
            // plus the roundings of /C, + x0 and the reference's own (double sum, one rounding)
            double dMean = 2.0 * (C + 2) * U * maxDev + 3 * U * Math.abs(m);
            // variance: from the mean's error (2 maxDev dMean + dMean^2) and the sum of squares
            // ((C + 6) U maxDev^2); rstd = (v + eps)^-1/2 moves by half the relative change, + 3U
            double v = 1.0 / ((double) s * s) - eps;
            double dVar = 2 * maxDev * dMean + dMean * dMean + (C + 6) * U * maxDev * maxDev;
            double dRstdRel = 0.5 * dVar / (Math.max(v, 0) + eps) + 3 * U;
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
        layerNormBackwardAgrees(N, C, x, w, refMean, refRstd, seed);
    }

    private static void layerNormBackwardAgrees(int N, int C, float[] x, float[] w, float[] mean, float[] rstd, long seed) {
        float[] dout = Values.normal(seed + 3, N * C), dinp0 = Values.normal(seed + 4, N * C);
        float[] dw0 = Values.normal(seed + 5, C), db0 = Values.normal(seed + 6, C);
        float[] refDx = dinp0.clone(), actDx = dinp0.clone(), refDw = dw0.clone(), actDw = dw0.clone();
        float[] refDb = db0.clone(), actDb = db0.clone();
        SCALAR.layerNormBackward(refDx, 0, refDw, 0, refDb, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, N, C);
        SIMD.layerNormBackward(actDx, 0, actDw, 0, actDb, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, N, C);
        // column sums over rows, same order and operations: same bits
        assertSameBits("layerNormBackward dweight", refDw, actDw);
        assertSameBits("layerNormBackward dbias", refDb, actDb);
        for (int n = 0; n < N; n++) {
            float m = mean[n], s = rstd[n];
            double a = 0, absA = 0, bb = 0, absB = 0;
            for (int c = 0; c < C; c++) {
                float norm = (x[n * C + c] - m) * s, dnorm = w[c] * dout[n * C + c];
                a += dnorm;
                absA += Math.abs(dnorm);
                bb += (double) dnorm * norm;
                absB += Math.abs((double) dnorm * norm);
            }
            a /= C;
            bb /= C;
            // the two row means in another order: 2 (C + 1) U sum|terms| / C each
            double dA = 2.0 * (C + 1) * U * absA / C, dB = 2.0 * (C + 1) * U * absB / C;
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

    // ------------------------------------------------------------------------------------------
    // embedding, dropout, matmul (inherited or owned elsewhere: the same bits, or one smoke check)
    // ------------------------------------------------------------------------------------------

    @Property(tries = 50)
    void embeddingAndDropoutAreBitIdentical(@ForAll("rows") int N, @ForAll("sizes") int C, @ForAll long seed) {
        int V = 7;
        float[] table = Values.normal(seed, V * C);
        int[] ids = new SplittableRandom(seed).ints(N, 0, V).toArray();
        float[] ref = new float[N * C], act = new float[N * C];
        SCALAR.embeddingForward(ref, 0, table, 0, ids, 0, N, V, C);
        SIMD.embeddingForward(act, 0, table, 0, ids, 0, N, V, C);
        assertSameBits("embeddingForward", ref, act);
        float[] dRef = table.clone(), dAct = table.clone(), dout = Values.normal(seed + 1, N * C);
        SCALAR.embeddingBackward(dRef, 0, dout, 0, ids, 0, N, V, C);
        SIMD.embeddingBackward(dAct, 0, dout, 0, ids, 0, N, V, C);
        assertSameBits("embeddingBackward", dRef, dAct);
        float[] maskRef = new float[V * C], maskAct = new float[V * C];
        float[] outRef = new float[V * C], outAct = new float[V * C];
        SCALAR.dropoutForward(outRef, 0, maskRef, 0, table, 0, V * C, 0.3f, seed);
        SIMD.dropoutForward(outAct, 0, maskAct, 0, table, 0, V * C, 0.3f, seed);
        assertSameBits("dropout out", outRef, outAct);
        assertSameBits("dropout mask", maskRef, maskAct);
    }

    /** Matmul has its own properties (SimdMatmulProperties); one shape here: |diff| <= 2 K U sum|a b|. */
    @Test
    void matmulSmoke() {
        int M = 17, K = 33, N = 19;
        float[] a = Values.normal(1, M * K), b = Values.normal(2, K * N);
        float[] ref = new float[M * N], act = new float[M * N];
        SCALAR.matmul(ref, 0, a, 0, b, 0, 1, M, K, N, false, false, false, false);
        SIMD.matmul(act, 0, a, 0, b, 0, 1, M, K, N, false, false, false, false);
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double abs = 0;
                for (int k = 0; k < K; k++) {
                    abs += Math.abs((double) a[i * K + k] * b[k * N + j]);
                }
                assertClose("matmul", i * N + j, ref[i * N + j], act[i * N + j], 2.0 * K * U * abs + SUBNORMAL);
            }
        }
    }

    /** The SIMD kernels really are the SIMD ones (a silent fallback would make every check trivial). */
    @Test
    void simdBackendIsLoaded() {
        org.junit.jupiter.api.Assertions.assertEquals("simd", SIMD.name());
        org.junit.jupiter.api.Assertions.assertNotEquals(ScalarKernels.class, SIMD.getClass());
        assertSameBits("sanity", new float[0], Arrays.copyOf(new float[0], 0));
    }
}
