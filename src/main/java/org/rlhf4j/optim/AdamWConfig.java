package org.rlhf4j.optim;

/**
 * AdamW's hyperparameters, validated on construction (Loshchilov and Hutter 2019, Algorithm 2).
 *
 * @param lr          the learning rate alpha (> 0); a schedule may override it each step. PyTorch: 1e-3.
 * @param beta1       the first moment's decay, in [0, 1). PyTorch and nanoGPT: 0.9.
 * @param beta2       the second moment's decay, in [0, 1). PyTorch: 0.999; nanoGPT: 0.95 (0.99 in its
 *                    shakespeare-char recipe).
 * @param eps         added to the denominator, > 0. PyTorch: 1e-8.
 * @param weightDecay lambda, the decoupled decay of the groups that decay, >= 0. PyTorch: 0.01;
 *                    nanoGPT: 0.1.
 */
public record AdamWConfig(double lr, double beta1, double beta2, double eps, double weightDecay) {

    public AdamWConfig {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite, got " + weightDecay);
        }
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01);
    }

    /** nanoGPT's shakespeare-char recipe: lr 1e-3, betas (0.9, 0.99), eps 1e-8, weight decay 0.1. */
    public static AdamWConfig nanoGptShakespeare() {
        return new AdamWConfig(1e-3, 0.9, 0.99, 1e-8, 0.1);
    }

    public AdamWConfig withLr(double v) {
        return new AdamWConfig(v, beta1, beta2, eps, weightDecay);
    }

    public AdamWConfig withBetas(double b1, double b2) {
        return new AdamWConfig(lr, b1, b2, eps, weightDecay);
    }

    public AdamWConfig withEps(double v) {
        return new AdamWConfig(lr, beta1, beta2, v, weightDecay);
    }

    public AdamWConfig withWeightDecay(double v) {
        return new AdamWConfig(lr, beta1, beta2, eps, v);
    }
}
