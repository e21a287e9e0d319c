package org.rlhf4j.train;

/**
 * What one optimizer step did, as {@link Trainer} reports it to its {@link TrainListener} and (on
 * logged steps) writes to {@code metrics.jsonl}.
 *
 * @param step          optimizer steps done, 1 .. maxIters (this is the step-th)
 * @param maxIters      the run's last step
 * @param trainLoss     the mean loss of this step's micro-batches, before the update
 * @param lr            the learning rate of this step
 * @param gradNorm      the global gradient norm before clipping
 * @param skipped       true when the norm was not finite and the update was skipped
 * @param tokensPerSec  training tokens per second since the previous logged step (evaluation and
 *                      checkpoint time excluded)
 * @param elapsedSec    wall-clock seconds of the run, summed over resumed sessions
 * @param valLoss       mean validation loss over evalIters batches after this step, or NaN when not evaluated
 * @param evalTrainLoss mean training-split loss over evalIters batches (same steps as valLoss), or NaN
 * @param logged        whether this step is written to metrics.jsonl
 */
public record StepMetrics(int step, int maxIters, double trainLoss, double lr, double gradNorm, boolean skipped,
                          double tokensPerSec, double elapsedSec, double valLoss, double evalTrainLoss,
                          boolean logged) {

    public boolean evaluated() {
        return !Double.isNaN(valLoss);
    }
}
