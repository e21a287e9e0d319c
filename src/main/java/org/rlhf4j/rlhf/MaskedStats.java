package org.rlhf4j.rlhf;

/**
 * Statistics over the real positions of a padded batch: {@code x} and {@code mask} are flat arrays of
 * equal length (row-major (B, T)), and a position counts where {@code mask != 0}, so padding never moves
 * a mean, a variance or a whitened value. Sums run in double in index order (deterministic).
 */
public final class MaskedStats {

    /** Added to the variance before the square root when whitening (TRL's {@code masked_whiten}). */
    public static final double EPS = 1e-8;

    private MaskedStats() {
    }

    /** The number of counted positions. */
    public static int count(float[] mask) {
        int n = 0;
        for (float m : mask) {
            n += m != 0 ? 1 : 0;
        }
        return n;
    }

    /** {@code sum(x * mask) / sum(mask)}; NaN when nothing counts. */
    public static double mean(float[] x, float[] mask) {
        check(x, mask);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (mask[i] != 0) {
                sum += x[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The variance of the counted values with Bessel's correction ({@code / (n - 1)}), as TRL's
     * {@code masked_var(unbiased=True)}; NaN for fewer than 2 counted positions.
     */
    public static double variance(float[] x, float[] mask) {
        double mean = mean(x, mask);
        double ss = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (mask[i] != 0) {
                double d = x[i] - mean;
                ss += d * d;
                n++;
            }
        }
        return n < 2 ? Double.NaN : ss / (n - 1);
    }

    /**
     * Whitening over the counted positions: {@code (x - mean) / sqrt(var + 1e-8)}, with the mean added back
     * when {@code shiftMean} is false (rewards are whitened without shifting, advantages with: Huang et
     * al. 2024, detail "reward and advantage whitening"). Padding positions come out 0. With fewer than 2
     * counted values the variance is taken as 0.
     */
    public static float[] whiten(float[] x, float[] mask, boolean shiftMean) {
        double mean = mean(x, mask), var = variance(x, mask);
        if (Double.isNaN(var)) {
            var = 0;
        }
        double inv = 1 / Math.sqrt(var + EPS);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            if (mask[i] != 0) {
                double w = (x[i] - mean) * inv;
                out[i] = (float) (shiftMean ? w : w + mean);
            }
        }
        return out;
    }

    private static void check(float[] x, float[] mask) {
        if (x.length != mask.length) {
            throw new IllegalArgumentException("values and mask differ in length: " + x.length + " vs " + mask.length);
        }
    }
}
