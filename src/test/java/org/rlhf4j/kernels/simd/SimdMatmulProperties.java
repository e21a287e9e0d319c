package org.rlhf4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * SimdKernels.matmul against the scalar reference and against EJML, over awkward shapes (0, 1, the
 * lane width 16 +- 1, the register tile 8 x 32 +- 1, primes, a few hundred, sizes that cross the
 * KC, MC and column blocks), all four transpose combinations, batches, a shared B, accumulation and
 * extreme values; and bit-identical results for 1, 2 and 3 threads.
 *
 * <p>Tolerance, from the error bound of a dot product (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2002, section 3.1): a length-K sum of products computed in any order is within
 * {@code gamma_K * sum_k |a_ik b_kj|}, {@code gamma_K ~ K * eps}, eps = 2^-24, of the exact value.
 * Two implementations may each be that far off, in opposite directions, so they differ by at most
 * {@code 2 * (K + 1) * eps * (sum_k |a_ik b_kj| + |c_old|)}, the {@code c_old} term for the final
 * addition when accumulating. Products below the normal range add an absolute error of up to half
 * the smallest subnormal, 2^-150, per operation.
 */
class SimdMatmulProperties {

    private static final double EPS = 0x1p-24;
    private static final double SUBNORMAL_ULP = 0x1p-149;

    /** How the operands are drawn. */
    enum Values { GAUSSIAN, WIDE_EXPONENTS, HUGE, TINY, SPARSE_MIXED_SIGNS }

    /** One generated product. */
    record Case(int batch, int M, int K, int N, boolean transA, boolean transB, boolean shareB,
                boolean accumulate, Values values, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> dim = Arbitraries.of(0, 1, 2, 3, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 37, 97, 127, 128,
                129, 150, 257, 300);
        // depths around SimdMatmul.KC (1024) cut K into one, or two equal, blocks
        Arbitrary<Integer> depth = Arbitraries.of(0, 1, 2, 15, 16, 17, 31, 97, 127, 255, 401,
                SimdMatmul.KC - 1, SimdMatmul.KC, SimdMatmul.KC + 1);
        return Combinators.combine(Arbitraries.integers().between(1, 3), dim, depth, dim,
                        Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.of(false, true),
                        Arbitraries.of(false, true))
                .as((batch, M, K, N, ta, tb, share, acc) -> new Object[] {batch, M, K, N, ta, tb, share, acc})
                .flatMap(p -> Combinators.combine(Arbitraries.of(Values.class), Arbitraries.longs())
                        .as((values, seed) -> {
                            int batch = (Integer) p[0], M = (Integer) p[1], K = (Integer) p[2], N = (Integer) p[3];
                            if ((long) batch * M * K * N > 20_000_000L) {
                                batch = 1; // keep the scalar reference quick
                            }
                            return new Case(batch, M, K, N, (Boolean) p[4], (Boolean) p[5], (Boolean) p[6],
                                    (Boolean) p[7], values, seed);
                        }));
    }

    @Property(tries = 250)
    void agreesWithScalarReference(@ForAll("cases") Case c) {
        checkAgainstScalar(c);
    }

    @Property(tries = 150)
    void agreesWithEjml(@ForAll("cases") Case c) {
        Operands x = Operands.of(c);
        float[] actual = x.out.clone(), expected = x.out.clone();
        try (Parallel p = Parallel.ofThreads(2)) {
            new SimdKernels(p).matmul(actual, 0, x.a, 0, x.b, 0, c.batch(), c.M(), c.K(), c.N(),
                    c.transA(), c.transB(), c.shareB(), c.accumulate());
        }
        int M = c.M(), K = c.K(), N = c.N();
        for (int bt = 0; bt < c.batch(); bt++) {
            FMatrixRMaj a = c.transA() ? slice(x.a, bt * M * K, K, M) : slice(x.a, bt * M * K, M, K);
            int bo = c.shareB() ? 0 : bt * K * N;
            FMatrixRMaj b = c.transB() ? slice(x.b, bo, N, K) : slice(x.b, bo, K, N);
            FMatrixRMaj out = slice(x.out, bt * M * N, M, N);
            ejmlMultiply(a, b, out, c.transA(), c.transB(), c.accumulate());
            System.arraycopy(out.data, 0, expected, bt * M * N, M * N);
        }
        assertWithinBound(c, x, expected, actual, "EJML");
    }

    /** The split over threads must not change a bit: sizes chosen so that 2 and 3 threads really split. */
    @Example
    void oneTwoAndThreeThreadsGiveIdenticalBits() {
        Case[] cases = {
            new Case(1, 517, 771, 389, false, false, false, false, Values.GAUSSIAN, 1),
            new Case(1, 517, 771, 389, true, true, false, true, Values.WIDE_EXPONENTS, 2),
            new Case(2, 301, 400, 263, true, false, true, false, Values.GAUSSIAN, 3),
            new Case(1, 1024, 1024, 1024, false, true, false, false, Values.GAUSSIAN, 4),
            new Case(1, 21, 1030, SimdMatmul.B_PACK_MAX / 1030 + 40, false, false, false, true,
                    Values.SPARSE_MIXED_SIGNS, 5), // two column blocks
            new Case(1, 12, 300, 3001, false, true, false, false, Values.GAUSSIAN, 6), // few rows: split by columns
            new Case(1, 300, 1030, 7000, true, false, false, true, Values.GAUSSIAN, 8), // B packed per K block
        };
        for (Case c : cases) {
            Operands x = Operands.of(c);
            float[] one = null;
            for (int threads = 1; threads <= 3; threads++) {
                float[] out = x.out.clone();
                try (Parallel p = Parallel.ofThreads(threads)) {
                    new SimdKernels(p).matmul(out, 0, x.a, 0, x.b, 0, c.batch(), c.M(), c.K(), c.N(),
                            c.transA(), c.transB(), c.shareB(), c.accumulate());
                }
                if (one == null) {
                    one = out;
                } else {
                    assertArrayEquals(bits(one), bits(out), threads + " threads differ from 1 on " + c);
                }
            }
        }
    }

    /** Crosses every block boundary at once (K > KC, M > MC, two column blocks) against the reference. */
    @Example
    void largeProductCrossingEveryBlockAgreesWithScalar() {
        int K = 2 * SimdMatmul.KC + 17; // three K blocks of 689, 688, 688
        Case c = new Case(1, SimdMatmul.MC + 9, K, SimdMatmul.B_PACK_MAX / K + 33, false, true, false, true,
                Values.GAUSSIAN, 7);
        checkAgainstScalar(c);
    }

    /** A large B with a lot of work per K block is packed one K block at a time (two blocks of 515). */
    @Example
    void bPackedPerKBlockAgreesWithScalar() {
        Case c = new Case(1, 300, 1030, 7000, true, false, false, true, Values.WIDE_EXPONENTS, 9);
        assertTrue((long) c.K() * c.N() > SimdMatmul.WHOLE_K_MAX
                && (long) c.M() * 515 * c.N() >= SimdMatmul.SLICE_MIN_WORK, "takes the per-K-block path");
        checkAgainstScalar(c);
    }

    /** Offsets into larger arrays are honoured, and nothing outside the output is written. */
    @Example
    void offsetsAreHonouredAndNothingElseIsWritten() {
        int M = 37, K = 45, N = 70, pad = 5;
        Random r = new Random(11);
        float[] a = gaussian(r, pad + M * K), b = gaussian(r, pad + K * N), out = new float[2 * pad + M * N];
        java.util.Arrays.fill(out, Float.NaN);
        float[] expected = new float[M * N];
        try (Parallel p = Parallel.sequential()) {
            new SimdKernels(p).matmul(out, pad, a, pad, b, pad, 1, M, K, N, false, false, false, false);
            new ScalarKernels(p).matmul(expected, 0, a, pad, b, pad, 1, M, K, N, false, false, false, false);
        }
        for (int i = 0; i < pad; i++) {
            assertTrue(Float.isNaN(out[i]) && Float.isNaN(out[pad + M * N + i]), "wrote outside the output");
        }
        for (int i = 0; i < M * N; i++) {
            assertEquals(expected[i], out[pad + i], 1e-4f * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    /**
     * A row of C does not depend on how many rows are computed with it: the first rows of a tall
     * product (blocked path) equal, bit for bit, the same rows computed alone (the skinny path of a
     * KV-cache step, or the tiny-product path), with B read as stored (K, N) or transposed from (N, K), the tied
     * LM head's layout. Greedy decoding with and without the cache relies on it.
     */
    @Property(tries = 60)
    void rowsComputedAloneEqualRowsOfATallProduct(@ForAll @IntRange(min = 1, max = 7) int m,
                                                  @ForAll @IntRange(min = 1, max = 400) int K,
                                                  @ForAll @IntRange(min = 1, max = 300) int N,
                                                  @ForAll boolean transA, @ForAll boolean transB,
                                                  @ForAll boolean accumulate) {
        int tall = 64;
        Random r = new Random(31L * K + N);
        float[] a = new float[tall * K], b = new float[K * N], base = new float[tall * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < base.length; i++) {
            base[i] = (float) r.nextGaussian();
        }
        // op(A) of the first m rows: for transA the stored (K, tall) matrix is re-laid out as (K, m).
        float[] aRows = new float[m * K];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < K; k++) {
                aRows[transA ? k * m + i : i * K + k] = transA ? a[k * tall + i] : a[i * K + k];
            }
        }
        float[] full = base.clone(), rows = java.util.Arrays.copyOf(base, m * N);
        try (Parallel p = Parallel.ofThreads(2)) {
            SimdKernels k = new SimdKernels(p);
            k.matmul(full, 0, a, 0, b, 0, 1, tall, K, N, transA, transB, false, accumulate);
            k.matmul(rows, 0, aRows, 0, b, 0, 1, m, K, N, transA, transB, false, accumulate);
        }
        for (int i = 0; i < m * N; i++) {
            assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(rows[i]),
                    "element " + i + " of " + m + "x" + K + "x" + N + (transB ? " (B transposed)" : "") + ": " + full[i] + " vs " + rows[i]);
        }
    }

    /** The same with K past one K block (KC = 1024), where the blocked path splits K and the skinny ones do not. */
    @Example
    void rowsComputedAloneEqualRowsOfATallProductPastOneKBlock() {
        for (boolean transB : new boolean[] {false, true}) {
            rowsComputedAloneEqualRowsOfATallProduct(1, 1030, 77, false, transB, true);
            rowsComputedAloneEqualRowsOfATallProduct(3, 2100, 40, true, transB, false);
        }
    }

    /**
     * Attention-sized batches are spread over threads one product at a time: the result must equal,
     * bit for bit, each product computed on its own, at 1, 2 and 3 threads.
     */
    @Example
    void batchesOfSmallProductsGiveTheSameBitsAsSingleProducts() {
        int batch = 12, M = 64, K = 32, N = 64;
        Random r = new Random(7);
        float[] a = new float[batch * M * K], b = new float[batch * N * K];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] single = new float[batch * M * N];
        try (Parallel p = Parallel.sequential()) {
            for (int bt = 0; bt < batch; bt++) {
                new SimdKernels(p).matmul(single, bt * M * N, a, bt * M * K, b, bt * N * K, 1, M, K, N,
                        false, true, false, false);
            }
        }
        for (int threads = 1; threads <= 3; threads++) {
            float[] batched = new float[batch * M * N];
            try (Parallel p = Parallel.ofThreads(threads)) {
                new SimdKernels(p).matmul(batched, 0, a, 0, b, 0, batch, M, K, N, false, true, false, false);
            }
            for (int i = 0; i < batched.length; i++) {
                assertEquals(Float.floatToRawIntBits(single[i]), Float.floatToRawIntBits(batched[i]),
                        "element " + i + " at " + threads + " threads");
            }
        }
    }

    /** A known answer that pins the reference itself: [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]]. */
    @Example
    void knownAnswer() {
        float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, want = {58, 64, 139, 154};
        for (Kernels k : new Kernels[] {new ScalarKernels(Parallel.sequential()), new SimdKernels(Parallel.sequential())}) {
            float[] out = new float[4];
            k.matmul(out, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false);
            assertArrayEquals(want, out, k.name());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static void checkAgainstScalar(Case c) {
        Operands x = Operands.of(c);
        float[] expected = x.out.clone(), actual = x.out.clone();
        try (Parallel p = Parallel.ofThreads(2)) {
            new ScalarKernels(p).matmul(expected, 0, x.a, 0, x.b, 0, c.batch(), c.M(), c.K(), c.N(),
                    c.transA(), c.transB(), c.shareB(), c.accumulate());
            new SimdKernels(p).matmul(actual, 0, x.a, 0, x.b, 0, c.batch(), c.M(), c.K(), c.N(),
                    c.transA(), c.transB(), c.shareB(), c.accumulate());
        }
        assertWithinBound(c, x, expected, actual, "scalar");
    }

    /** |actual - expected| <= 2 (K+1) eps (sum_k |a_ik b_kj| + |c_old|) + (K+2) 2^-149, element by element. */
    private static void assertWithinBound(Case c, Operands x, float[] expected, float[] actual, String what) {
        int M = c.M(), K = c.K(), N = c.N();
        for (int bt = 0; bt < c.batch(); bt++) {
            int ao = bt * M * K, bo = c.shareB() ? 0 : bt * K * N;
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double sumAbs = 0;
                    for (int k = 0; k < K; k++) {
                        double av = c.transA() ? x.a[ao + k * M + i] : x.a[ao + i * K + k];
                        double bv = c.transB() ? x.b[bo + j * K + k] : x.b[bo + k * N + j];
                        sumAbs += Math.abs(av * bv);
                    }
                    int o = bt * M * N + i * N + j;
                    double old = c.accumulate() ? Math.abs(x.out[o]) : 0;
                    double tol = 2 * (K + 1) * EPS * (sumAbs + old) + (K + 2) * SUBNORMAL_ULP;
                    double diff = Math.abs((double) actual[o] - expected[o]);
                    if (!(diff <= tol)) {
                        fail(String.format("%s: simd %s vs %s %s at batch %d (%d,%d) of %s: |diff| %.3g > bound %.3g",
                                what, actual[o], what, expected[o], bt, i, j, c, diff, tol));
                    }
                }
            }
        }
    }

    private static void ejmlMultiply(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj out,
                                     boolean transA, boolean transB, boolean accumulate) {
        if (accumulate) {
            if (transA && transB) {
                CommonOps_FDRM.multAddTransAB(a, b, out);
            } else if (transA) {
                CommonOps_FDRM.multAddTransA(a, b, out);
            } else if (transB) {
                CommonOps_FDRM.multAddTransB(a, b, out);
            } else {
                CommonOps_FDRM.multAdd(a, b, out);
            }
        } else if (transA && transB) {
            CommonOps_FDRM.multTransAB(a, b, out);
        } else if (transA) {
            CommonOps_FDRM.multTransA(a, b, out);
        } else if (transB) {
            CommonOps_FDRM.multTransB(a, b, out);
        } else {
            CommonOps_FDRM.mult(a, b, out);
        }
    }

    private static FMatrixRMaj slice(float[] data, int off, int rows, int cols) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        System.arraycopy(data, off, m.data, 0, rows * cols);
        return m;
    }

    private static int[] bits(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Float.floatToRawIntBits(x[i]);
        }
        return r;
    }

    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** The operands of a case: A, B (one batch of it when shared) and the initial output. */
    record Operands(float[] a, float[] b, float[] out) {
        static Operands of(Case c) {
            Random r = new Random(c.seed());
            int bBatches = c.shareB() ? 1 : c.batch();
            return new Operands(draw(r, c.values(), c.batch() * c.M() * c.K(), 40),
                    draw(r, c.values(), bBatches * c.K() * c.N(), 30),
                    draw(r, c.values(), c.batch() * c.M() * c.N(), 0));
        }

        /** Products of two HUGE values reach about 2^(40+30+...) and stay finite; TINY ones underflow. */
        private static float[] draw(Random r, Values v, int n, int scaleExp) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                double g = r.nextGaussian();
                x[i] = (float) switch (v) {
                    case GAUSSIAN -> g;
                    case WIDE_EXPONENTS -> Math.signum(g) * Math.scalb(1 + r.nextDouble(), r.nextInt(41) - 20);
                    case HUGE -> g * Math.scalb(1.0, scaleExp + 20);
                    case TINY -> g * Math.scalb(1.0, -scaleExp - 30);
                    case SPARSE_MIXED_SIGNS -> r.nextInt(3) == 0 ? 0.0 : (r.nextBoolean() ? 1e3 : -1e-3) * g;
                };
            }
            return x;
        }
    }
}
