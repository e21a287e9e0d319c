package org.rlhf4j.optim;

/**
 * nanoGPT's learning-rate schedule ({@code get_lr} in its train.py): a linear warmup, then a cosine
 * decay (Loshchilov and Hutter 2017, SGDR, without restarts) to a floor, then the floor:
 * <pre>
 *   it &lt; warmup:           lr = maxLr (it + 1) / (warmup + 1)
 *   warmup &lt;= it &lt; decay:   r = (it - warmup) / (decay - warmup),
 *                          lr = minLr + (1 + cos(pi r)) / 2 (maxLr - minLr)
 *   it &gt;= decay:           lr = minLr
 * </pre>
 * it counts optimizer steps from 0. (nanoGPT switches to the floor after decay rather than at it; the
 * cosine equals the floor there, so the rates agree, and decay = warmup needs no division by zero.)
 *
 * @param maxLr       the peak rate, reached at it = warmup (> 0)
 * @param minLr       the floor, in [0, maxLr]; nanoGPT: maxLr / 10
 * @param warmupIters the steps of linear warmup (>= 0)
 * @param decayIters  the step at which the cosine reaches the floor (>= warmupIters); nanoGPT: max_iters
 */
public record LrSchedule(double maxLr, double minLr, int warmupIters, int decayIters) {

    public LrSchedule {
        if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("maxLr must be positive and finite, got " + maxLr);
        }
        if (!(minLr >= 0 && minLr <= maxLr)) {
            throw new IllegalArgumentException("minLr must be in [0, maxLr = " + maxLr + "], got " + minLr);
        }
        if (warmupIters < 0) {
            throw new IllegalArgumentException("warmupIters must be >= 0, got " + warmupIters);
        }
        if (decayIters < warmupIters) {
            throw new IllegalArgumentException("decayIters must be >= warmupIters (" + warmupIters + "), got "
                    + decayIters);
        }
    }

    /** nanoGPT's shakespeare-char recipe: 1e-3 peak after 100 warmup steps, cosine to 1e-4 at 2000. */
    public static LrSchedule nanoGptShakespeare() {
        return new LrSchedule(1e-3, 1e-4, 100, 2000);
    }

    /** The same rate at every step. */
    public static LrSchedule constant(double lr) {
        return new LrSchedule(lr, lr, 0, 0);
    }

    /** The learning rate of optimizer step {@code it} (from 0). */
    public double at(long it) {
        if (it < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + it);
        }
        if (it < warmupIters) {
            return maxLr * (it + 1) / (warmupIters + 1);
        }
        if (it >= decayIters) {
            return minLr;
        }
        double r = (double) (it - warmupIters) / (decayIters - warmupIters);
        return minLr + 0.5 * (1.0 + Math.cos(Math.PI * r)) * (maxLr - minLr);
    }
}
