package org.rlhf4j.rlhf.ppo;

import org.rlhf4j.tensor.Tensor;

/** Small helpers over row-major (rows, R) arrays of response positions. */
final class Rows {

    private Rows() {
    }

    /** from, from + 1, ..., to - 1. */
    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** Copies a (rows, R) tensor into rows fromRow.. of an (N, R) array. */
    static void put(Tensor t, float[] into, int fromRow, int R) {
        System.arraycopy(t.toArray(), 0, into, fromRow * R, t.size());
    }

    /** Zeroes x where the mask is 0. */
    static void mask(float[] x, float[] mask) {
        for (int i = 0; i < x.length; i++) {
            x[i] = mask[i] != 0 ? x[i] : 0f;
        }
    }

    /** The given rows of an (N, R) array, in that order: (rows.length, R). */
    static float[] gather(float[] x, int[] rows, int R) {
        float[] out = new float[rows.length * R];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(x, rows[b] * R, out, b * R, R);
        }
        return out;
    }

    /** The mean over rows of each row's masked sum. */
    static double meanOfRowSums(float[] x, float[] mask, int N, int R) {
        double total = 0;
        for (int i = 0; i < N * R; i++) {
            total += mask[i] != 0 ? x[i] : 0;
        }
        return total / N;
    }
}
