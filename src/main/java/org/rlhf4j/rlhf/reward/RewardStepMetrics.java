package org.rlhf4j.rlhf.reward;

/**
 * What one reward-model step did, as {@link RewardTrainer} reports it to its {@link RewardListener} and
 * (on logged steps) writes to {@code metrics.jsonl}.
 *
 * @param step          optimizer steps done, 1 .. maxIters
 * @param maxIters      the run's last step
 * @param loss          the batch's loss before the update (mean over preferences of the mean over pairs)
 * @param accuracy      the fraction of the batch's pairs with r_w > r_l, before the update
 * @param lr            the step's learning rate
 * @param gradNorm      the global gradient norm before clipping
 * @param skipped       true when the norm was not finite and the update was skipped
 * @param tokensPerSec  training tokens (padding included) per second of this step
 * @param elapsedSec    wall-clock seconds since the run began
 * @param evalLoss      the held-out loss after this step, NaN when not evaluated
 * @param evalAccuracy  held-out pairwise accuracy (every pair of every ranking), NaN when not evaluated
 * @param evalMargin    held-out mean of r_w - r_l over the same pairs, NaN when not evaluated
 * @param logged        whether this step is written to metrics.jsonl
 */
public record RewardStepMetrics(int step, int maxIters, double loss, double accuracy, double lr, double gradNorm,
                                boolean skipped, double tokensPerSec, double elapsedSec, double evalLoss,
                                double evalAccuracy, double evalMargin, boolean logged) {

    public boolean evaluated() {
        return !Double.isNaN(evalAccuracy);
    }
}
