package org.rlhf4j.rlhf;

/**
 * Running mean and standard deviation of every score seen so far, merged batch by batch with Chan et
 * al.'s parallel update (1979), as TRL's {@code RunningMoments} for {@code use_score_scaling} /
 * {@code use_score_norm}. The state is (mean, var, count); the std is the population std.
 */
public final class RunningMoments {

    private double mean;
    private double var;
    private double count;

    /** Merges a batch; returns {batch mean, batch population std}. */
    public double[] update(float[] xs) {
        if (xs.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m = 0;
        for (float x : xs) {
            m += x;
        }
        m /= xs.length;
        double ss = 0;
        for (float x : xs) {
            ss += (x - m) * (x - m);
        }
        double n = xs.length, delta = m - mean, total = count + n;
        double m2 = var * count + ss + delta * delta * count * n / total; // Chan et al.: M2_a + M2_b + d^2 n_a n_b / n
        mean += delta * n / total;
        var = m2 / total;
        count = total;
        return new double[] {m, Math.sqrt(ss / n)};
    }

    public double mean() {
        return mean;
    }

    /** The population standard deviation of everything seen. */
    public double std() {
        return Math.sqrt(var);
    }

    public double var() {
        return var;
    }

    public double count() {
        return count;
    }

    /** Restores a state (from a checkpoint). */
    public void set(double mean, double var, double count) {
        if (!Double.isFinite(mean) || !(var >= 0) || !(count >= 0)) {
            throw new IllegalArgumentException("running moments need a finite mean and var, count >= 0; got "
                    + mean + ", " + var + ", " + count);
        }
        this.mean = mean;
        this.var = var;
        this.count = count;
    }
}
