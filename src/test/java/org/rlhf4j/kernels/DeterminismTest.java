package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results do not depend on the thread count: every op, run with 1, 2 and 3 threads on shapes large
 * enough to be split (kernels hand a thread at least 2^14 elements of work), gives the same bits
 * (raw bits, NaN payloads included). Each configuration runs twice, so code that is interpreted on
 * the first call and compiled later is compared with itself too.
 */
class DeterminismTest {

    private static final int ROWS = 97, COLS = 1001;       // 3 ranges of >= 2^14 elements
    private static final int FLAT = ROWS * COLS;           // odd: thread ranges of a naive split end mid-vector
    private static final int V = 11, IGNORE = -100;

    /** Every op's outputs, by name, for one kernels object. */
    private static Map<String, float[]> runAll(Kernels k) {
        Map<String, float[]> r = new LinkedHashMap<>();
        float[] x = Values.WIDE.fill(1, FLAT), y = Values.NORMAL.fill(2, FLAT), g = Values.NORMAL.fill(3, FLAT);
        float[] bias = Values.NORMAL.fill(4, COLS), out;
        int[] shape = {ROWS, COLS}, full = {COLS, 1}, row = {0, 1}, col = {1, 0}, transposed = {1, ROWS};

        int M = 96, K = 200, N = 180;
        out = new float[M * N];
        k.matmul(out, 0, x, 0, y, 0, 1, M, K, N, false, false, false, false);
        r.put("matmul", out);
        out = new float[M * N];
        k.matmul(out, 0, x, 0, y, 0, 1, M, K, N, true, true, false, false);
        r.put("matmul transposed", out);

        for (Binary op : Binary.values()) {
            out = new float[FLAT];
            k.binary(op, out, 0, x, 0, full, y, 0, full, shape);
            r.put("binary " + op, out);
            out = new float[FLAT];
            k.binary(op, out, 0, x, 0, full, bias, 0, row, shape);
            r.put("binary bias " + op, out);
            out = new float[FLAT];
            k.binary(op, out, 0, x, 0, full, y, 0, col, shape);
            r.put("binary row scalar " + op, out);
            out = new float[FLAT];
            k.binary(op, out, 0, y, 0, transposed, x, 0, full, shape);
            r.put("binary transposed " + op, out);
            out = new float[FLAT];
            k.binaryBackward(op, true, out, 0, g, 0, x, 0, full, y, 0, full, shape);
            r.put("binaryBackward " + op, out);
        }
        for (Unary op : Unary.values()) {
            float[] fwd = new float[FLAT];
            k.unary(op, 0.5f, 1.5f, fwd, 0, x, 0, FLAT);
            r.put("unary " + op, fwd);
            out = g.clone();
            k.unaryBackward(op, 0.5f, 1.5f, out, 0, g, 0, x, 0, fwd, 0, FLAT);
            r.put("unaryBackward " + op, out);
        }
        out = new float[FLAT];
        k.where(out, 0, y, 0, full, x, 0, full, bias, 0, row, shape);
        r.put("where", out);
        out = new float[FLAT];
        k.copyStrided(out, 0, x, 0, transposed, shape);
        r.put("copyStrided", out);
        out = bias.clone();
        k.accumulateStrided(out, 0, row, x, 0, shape);
        r.put("accumulateStrided", out);
        out = y.clone();
        k.addScaled(out, 0, x, 0, -0.75f, FLAT);
        r.put("addScaled", out);
        out = new float[FLAT + 5];
        k.fill(out, 3, 2.5f, FLAT);
        r.put("fill", out);

        for (int inner : new int[] {1, 7, 16, 33}) {
            int n = FLAT / inner / 3;
            out = new float[3 * inner];
            k.sumAxis(out, 0, x, 0, 3, n, inner);
            r.put("sumAxis inner " + inner, out);
            float[] max = new float[3 * inner];
            int[] arg = new int[3 * inner];
            k.maxAxis(max, 0, arg, 0, x, 0, 3, n, inner);
            r.put("maxAxis " + inner, max);
            r.put("argmax " + inner, toFloats(arg));
            out = new float[3 * n * inner];
            k.sumAxisBackward(out, 0, max, 0, 3, n, inner);
            k.maxAxisBackward(out, 0, max, 0, arg, 0, 3, n, inner);
            r.put("sum/maxAxisBackward " + inner, out);
        }

        float[] sm = new float[FLAT], lsm = new float[FLAT];
        k.softmaxForward(sm, 0, x, 0, ROWS, COLS);
        r.put("softmax", sm);
        out = g.clone();
        k.softmaxBackward(out, 0, g, 0, sm, 0, ROWS, COLS);
        r.put("softmaxBackward", out);
        k.logSoftmaxForward(lsm, 0, x, 0, ROWS, COLS);
        r.put("logSoftmax", lsm);
        out = g.clone();
        k.logSoftmaxBackward(out, 0, g, 0, lsm, 0, ROWS, COLS);
        r.put("logSoftmaxBackward", out);

        int[] targets = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            targets[i] = i % 5 == 0 ? IGNORE : (i * 7) % COLS;
        }
        float[] losses = new float[ROWS], lse = new float[ROWS];
        k.crossEntropyForward(losses, 0, lse, 0, x, 0, targets, 0, ROWS, COLS, IGNORE);
        r.put("crossEntropy", losses);
        r.put("crossEntropy lse", lse);
        out = g.clone();
        k.crossEntropyBackward(out, 0, Values.NORMAL.fill(5, ROWS), 0, x, 0, lse, 0, targets, 0, ROWS, COLS, IGNORE);
        r.put("crossEntropyBackward", out);

        float[] w = Values.NORMAL.fill(6, COLS), mean = new float[ROWS], rstd = new float[ROWS];
        out = new float[FLAT];
        k.layerNormForward(out, 0, mean, 0, rstd, 0, Values.SHIFT_UP.fill(7, FLAT), 0, w, 0, bias, 0, ROWS, COLS, 1e-5f);
        r.put("layerNorm", out);
        r.put("layerNorm mean", mean);
        r.put("layerNorm rstd", rstd);
        float[] dx = g.clone(), dw = w.clone(), db = bias.clone();
        k.layerNormBackward(dx, 0, dw, 0, db, 0, y, 0, Values.SHIFT_UP.fill(7, FLAT), 0, w, 0, mean, 0, rstd, 0, ROWS, COLS);
        r.put("layerNormBackward dinp", dx);
        r.put("layerNormBackward dweight", dw);
        r.put("layerNormBackward dbias", db);

        int[] ids = new int[ROWS * 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 5) % V;
        }
        float[] table = Values.NORMAL.fill(8, V * COLS);
        out = new float[ids.length * COLS];
        k.embeddingForward(out, 0, table, 0, ids, 0, ids.length, V, COLS);
        r.put("embedding", out);
        out = table.clone();
        k.embeddingBackward(out, 0, Values.NORMAL.fill(9, ids.length * COLS), 0, ids, 0, ids.length, V, COLS);
        r.put("embeddingBackward", out);

        float[] mask = new float[FLAT];
        out = new float[FLAT];
        k.dropoutForward(out, 0, mask, 0, x, 0, FLAT, 0.1f, 1234L);
        r.put("dropout", out);
        r.put("dropout mask", mask);
        return r;
    }

    private static float[] toFloats(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return f;
    }

    private static Map<String, float[]> run(String backend, int threads) {
        try (Parallel p = Parallel.ofThreads(threads)) {
            return runAll(Backends.create(backend, p));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void everyOpGivesTheSameBitsOnOneTwoAndThreeThreads(String backend) {
        Map<String, float[]> one = run(backend, 1);
        for (int threads : new int[] {1, 2, 3, 2}) {
            Map<String, float[]> other = run(backend, threads);
            assertEquals(one.keySet(), other.keySet());
            for (String op : one.keySet()) {
                float[] a = one.get(op), b = other.get(op);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        fail(backend + " " + op + ": element " + i + " is " + b[i] + " with " + threads
                                + " threads but " + a[i] + " with 1");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void aFixedSeedReproducesTheDropoutStreamAndAnotherSeedDoesNot(String backend) {
        float[] x = new float[FLAT];
        Arrays.fill(x, 1f);
        float[][] masks = new float[3][FLAT];
        long[] seeds = {7L, 7L, 8L};
        for (int s = 0; s < 3; s++) {
            try (Parallel p = Parallel.ofThreads(1 + s)) {
                Backends.create(backend, p).dropoutForward(new float[FLAT], 0, masks[s], 0, x, 0, FLAT, 0.5f, seeds[s]);
            }
        }
        for (int i = 0; i < FLAT; i++) {
            assertEquals(Float.floatToRawIntBits(masks[0][i]), Float.floatToRawIntBits(masks[1][i]), "seed 7, element " + i);
        }
        assertFalse(Arrays.equals(masks[0], masks[2]), "seeds 7 and 8 gave the same mask");
        int same = 0;
        for (int i = 0; i < FLAT; i++) {
            same += masks[0][i] == masks[2][i] ? 1 : 0;
        }
        // independent streams at p = 0.5 agree on about half the elements: within 5 standard deviations
        assertEquals(FLAT / 2.0, same, 5 * Math.sqrt(FLAT / 4.0), "seeds 7 and 8 look correlated");
    }
}
