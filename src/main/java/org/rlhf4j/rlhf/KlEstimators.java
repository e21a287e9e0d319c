package org.rlhf4j.rlhf;

/**
 * Per-token estimators of KL(pi || ref) from one sample y ~ pi, written in terms of
 * {@code logr = log pi(y) - log ref(y)} (Schulman 2020, "Approximating KL divergence"):
 * <pre>
 *   k1 = logr                           unbiased, can be negative on a single sample
 *   k2 = logr^2 / 2                     biased, >= 0, low variance
 *   k3 = exp(-logr) - 1 + logr          unbiased (E_pi[ref/pi] = 1), >= 0 for every sample
 * </pre>
 * k3 is {@code (r - 1) - log r} with {@code r = ref/pi}; since {@code log r <= r - 1} it is never
 * negative. TRL's PPO trainer offers k1 (default) and k3 ({@code kl_estimator}). Computed in double;
 * k3 uses {@code expm1}, and its Taylor series near 0, so that it stays accurate, and non-negative, for
 * tiny {@code logr}.
 */
public final class KlEstimators {

    /** Which estimator a trainer uses for the per-token KL penalty. */
    public enum Kind {
        /** {@link #k1}: the plain log-ratio (TRL's default). */
        K1,
        /** {@link #k2}: half the squared log-ratio. */
        K2,
        /** {@link #k3}: {@code exp(-logr) - 1 + logr}, never negative. */
        K3;

        /** This estimator at {@code logr}. */
        public double of(double logr) {
            return switch (this) {
                case K1 -> k1(logr);
                case K2 -> k2(logr);
                case K3 -> k3(logr);
            };
        }
    }

    private KlEstimators() {
    }

    /** k1 = logr. */
    public static double k1(double logr) {
        return logr;
    }

    /** k2 = logr^2 / 2. */
    public static double k2(double logr) {
        return 0.5 * logr * logr;
    }

    /**
     * k3 = exp(-logr) - 1 + logr: its Taylor series for |logr| &lt; 1e-3, else {@code expm1(-logr) + logr}
     * floored at 0, which only removes a rounding error (the exact value is >= 0). +Infinity when
     * {@code -logr} overflows exp.
     */
    public static double k3(double logr) {
        if (Double.isNaN(logr)) {
            return Double.NaN;
        }
        double x = logr;
        if (Math.abs(x) < 1e-3) { // Taylor: x^2/2 - x^3/6 + x^4/24 - x^5/120, relative error < 1e-15 here
            return x * x * (0.5 - x * (1.0 / 6 - x * (1.0 / 24 - x / 120)));
        }
        double v = Math.expm1(-x) + x;
        return v > 0 ? v : (Double.isNaN(v) ? Double.POSITIVE_INFINITY : 0.0);
    }
}
