package org.rlhf4j.rlhf;

/**
 * The coefficient beta of the per-token KL penalty {@code -beta * kl}. Fixed, or adaptive as Ziegler et
 * al. 2019 (section 2.2, "Fine-Tuning Language Models from Human Preferences") steer it toward a target KL:
 * <pre>
 *   e    = clip(KL / target - 1, -0.2, 0.2)          proportional error, clipped
 *   beta &lt;- beta * (1 + e * n / horizon)            n: samples (episodes) in the batch just used
 * </pre>
 * so beta grows while the policy's KL to the reference exceeds the target and shrinks below it. The
 * whole state is {@link #beta()} (restored with {@link #setBeta}); TRL's {@code AdaptiveKLController}
 * computes the same update.
 */
public final class KlController {

    /** The error clip of Ziegler et al. */
    public static final double ERROR_CLIP = 0.2;

    private final boolean adaptive;
    private final double target;
    private final double horizon;
    private double beta;

    private KlController(boolean adaptive, double beta, double target, double horizon) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be >= 0 and finite, got " + beta);
        }
        if (adaptive && (!(target > 0) || Double.isInfinite(target))) {
            throw new IllegalArgumentException("target KL must be positive and finite, got " + target);
        }
        if (adaptive && (!(horizon > 0) || Double.isInfinite(horizon))) {
            throw new IllegalArgumentException("horizon must be positive and finite, got " + horizon);
        }
        this.adaptive = adaptive;
        this.beta = beta;
        this.target = target;
        this.horizon = horizon;
    }

    /** A controller whose beta never changes. */
    public static KlController fixed(double beta) {
        return new KlController(false, beta, Double.NaN, Double.NaN);
    }

    /** Ziegler et al.'s adaptive controller starting at {@code beta}. */
    public static KlController adaptive(double beta, double target, double horizon) {
        return new KlController(true, beta, target, horizon);
    }

    /** The current coefficient. */
    public double beta() {
        return beta;
    }

    /** Restores the coefficient (from a checkpoint). */
    public void setBeta(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be >= 0 and finite, got " + beta);
        }
        this.beta = beta;
    }

    public boolean isAdaptive() {
        return adaptive;
    }

    /**
     * Moves beta after a batch of {@code n} samples whose mean KL (summed over each sample's tokens) was
     * {@code kl}; a fixed controller ignores it. A non-finite KL leaves beta as it is. Returns beta.
     */
    public double update(double kl, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (adaptive && Double.isFinite(kl)) {
            double e = Math.max(-ERROR_CLIP, Math.min(ERROR_CLIP, kl / target - 1)); // clip(KL/target - 1, -0.2, 0.2)
            beta = beta * (1 + e * n / horizon);                                      // beta (1 + e n / horizon)
        }
        return beta;
    }
}
