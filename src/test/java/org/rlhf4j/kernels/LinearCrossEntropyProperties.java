package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rlhf4j.kernels.Tolerance.SUBNORMAL;
import static org.rlhf4j.kernels.Tolerance.U;
import static org.rlhf4j.kernels.Tolerance.assertClose;
import static org.rlhf4j.kernels.Tolerance.assertSameBits;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * The fused head and loss ({@link Kernels#linearCrossEntropyForward} and its backward) on the CPU families,
 * against the unfused pair on the same family: {@code logits = x · w^T} as one product, the cross-entropy of
 * those logits, and in the backward the cross-entropy's gradient into an (N, V) array followed by
 * {@code dx += dz · w} and {@code dw += dz^T · x} (the products MatmulOps makes for the tied head). Rows are
 * independent, so the losses, the logsumexps and dx must have the same bits for every chunk size; dw sums
 * over the rows chunk by chunk, so it has the same bits when one chunk covers every row and otherwise lies
 * within the bound of a reordered sum, {@code 2 n U sum |terms|} with n = N + 1 terms (the rows and dw's
 * previous value). Offsets are not zero, dx and dw start non-zero (both accumulate), a quarter of the rows
 * are ignored. Offered an array for the logits, the CPU families keep them there (their bits) and the backward
 * reads them instead of recomputing: the same results again.
 */
class LinearCrossEntropyProperties {

    private static final int IGNORE = -100;

    enum Family {
        SCALAR(new ScalarKernels(Parallel.sequential())), SIMD(Backends.create("simd", Parallel.ofThreads(2)));

        final Kernels k;

        Family(Kernels k) {
            this.k = k;
        }
    }

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.of(1, 2, 3, 5, 16, 17, 40);
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.of(1, 3, 16, 17, 33);
    }

    @Provide
    Arbitrary<Integer> vocabularies() {
        return Arbitraries.of(1, 2, 17, 65, 129);
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.of(1, 2, 3, 7, 1000);
    }

    @Property(tries = 120)
    void fusedEqualsTheUnfusedPair(@ForAll Family family, @ForAll("rows") int N, @ForAll("widths") int C,
                                   @ForAll("vocabularies") int V, @ForAll("chunks") int chunk, @ForAll boolean keep,
                                   @ForAll long seed) {
        Kernels k = family.k;
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = 3, wOff = 5, tOff = 2;
        float[] x = values(xOff + N * C, rnd), w = values(wOff + V * C, rnd);
        int[] targets = targets(tOff, N, V, rnd);
        // the unfused pair
        float[] logits = new float[N * V], refLoss = new float[N], refLse = new float[N];
        k.matmul(logits, 0, x, xOff, w, wOff, 1, N, C, V, false, true, false, false);
        k.crossEntropyForward(refLoss, 0, refLse, 0, logits, 0, targets, tOff, N, V, IGNORE);
        // the fused op, writing after one leading sentinel of each output (and before a trailing one)
        float[] loss = new float[2 + N], lse = new float[2 + N];
        loss[0] = loss[1 + N] = lse[0] = lse[1 + N] = SENTINEL;
        float[] saved = keep ? new float[N * V + 1] : null;
        boolean kept = k.linearCrossEntropyForward(loss, 1, lse, 1, x, xOff, w, wOff, targets, tOff, N, C, V, IGNORE,
                chunk, saved);
        assertEquals(keep, kept, "the CPU families keep the logits whenever they are offered an array");
        if (keep) {
            assertSameBits("kept logits", logits, java.util.Arrays.copyOf(saved, N * V));
        }
        assertSameBits("losses", refLoss, java.util.Arrays.copyOfRange(loss, 1, 1 + N));
        assertSameBits("lse", refLse, java.util.Arrays.copyOfRange(lse, 1, 1 + N));
        assertUntouched("losses", loss, 1, N);
        assertUntouched("lse", lse, 1, N);

        float[] dlosses = values(N, rnd), dx0 = values(N * C, rnd), dw0 = values(V * C, rnd);
        float[] dlossesAt4 = new float[4 + N];
        System.arraycopy(dlosses, 0, dlossesAt4, 4, N);
        float[] dz = new float[N * V], refDx = dx0.clone(), refDw = dw0.clone();
        k.crossEntropyBackward(dz, 0, dlosses, 0, logits, 0, refLse, 0, targets, tOff, N, V, IGNORE);
        k.matmul(refDx, 0, dz, 0, w, wOff, 1, N, V, C, false, false, false, true);
        k.matmul(refDw, 0, dz, 0, x, xOff, 1, V, N, C, true, false, false, true);
        float[] dx = new float[3 + N * C], dw = new float[2 + V * C];
        dx[0] = dx[1] = dx[2 + N * C] = dw[0] = dw[1 + V * C] = SENTINEL;
        System.arraycopy(dx0, 0, dx, 2, N * C);
        System.arraycopy(dw0, 0, dw, 1, V * C);
        k.linearCrossEntropyBackward(dx, 2, dw, 1, dlossesAt4, 4, x, xOff, w, wOff, lse, 1, targets, tOff,
                N, C, V, IGNORE, chunk, saved);
        // a frozen input: its gradient is not computed, the other one is the same
        float[] onlyDw = dw0.clone(), onlyDx = dx0.clone();
        k.linearCrossEntropyBackward(null, 0, onlyDw, 0, dlossesAt4, 4, x, xOff, w, wOff, lse, 1, targets, tOff,
                N, C, V, IGNORE, chunk, saved);
        k.linearCrossEntropyBackward(onlyDx, 0, null, 0, dlossesAt4, 4, x, xOff, w, wOff, lse, 1, targets, tOff,
                N, C, V, IGNORE, chunk, saved);
        assertSameBits("dx without dw", java.util.Arrays.copyOfRange(dx, 2, 2 + N * C), onlyDx);
        assertSameBits("dw without dx", java.util.Arrays.copyOfRange(dw, 1, 1 + V * C), onlyDw);
        assertSameBits("dx", refDx, java.util.Arrays.copyOfRange(dx, 2, 2 + N * C));
        assertUntouched("dx", dx, 2, N * C);
        assertUntouched("dw", dw, 1, V * C);
        float[] gotDw = java.util.Arrays.copyOfRange(dw, 1, 1 + V * C);
        if (chunk >= N) {
            assertSameBits("dw", refDw, gotDw);
            return;
        }
        for (int v = 0; v < V; v++) {
            for (int c = 0; c < C; c++) {
                double terms = Math.abs(dw0[v * C + c]);
                for (int r = 0; r < N; r++) {
                    terms += Math.abs((double) dz[r * V + v] * x[xOff + r * C + c]);
                }
                assertClose("dw, chunks of " + chunk + " rows", v * C + c, refDw[v * C + c], gotDw[v * C + c],
                        2 * (N + 1) * U * terms + SUBNORMAL);
            }
        }
    }

    /** A value no output holds, around each output window. */
    static final float SENTINEL = 12345.5f;

    /** The elements just outside [off, off + n) still hold the sentinel. */
    static void assertUntouched(String what, float[] a, int off, int n) {
        for (int i = 0; i < a.length; i++) {
            if ((i < off || i >= off + n) && a[i] != SENTINEL) {
                throw new AssertionError(what + ": element " + i + " outside the window [" + off + ", " + (off + n)
                        + ") was written: " + a[i]);
            }
        }
    }

    /** N targets from index tOff, a quarter of them the ignore index. */
    static int[] targets(int tOff, int N, int V, SplittableRandom rnd) {
        int[] targets = new int[tOff + N];
        for (int r = 0; r < N; r++) {
            targets[tOff + r] = rnd.nextInt(4) == 0 ? IGNORE : rnd.nextInt(V);
        }
        return targets;
    }

    /** Uniform in [-2, 2). */
    static float[] values(int n, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }
}
