package org.rlhf4j.rlhf.reward;

import java.nio.file.Path;

/**
 * Progress of a {@link RewardTrainer} run (the trainer never prints; the CLI draws a progress bar).
 * Every method has an empty default and is called on the training thread, so it should be quick.
 */
public interface RewardListener {

    /** A listener that ignores everything. */
    RewardListener NONE = new RewardListener() { };

    /**
     * Before the first step.
     *
     * @param maxIters   the last step
     * @param parameters the model's parameter count
     * @param train      the training preferences as encoded (kept, dropped and truncated counts)
     * @param eval       the held-out preferences as encoded
     */
    default void started(int maxIters, long parameters, RewardEncoder.Encoding train, RewardEncoder.Encoding eval) {
    }

    /** After every optimizer step (and its evaluation, when there is one). */
    default void step(RewardStepMetrics m) {
    }

    /** After the model of {@code step} steps was written to {@code dir}. */
    default void checkpointed(int step, Path dir) {
    }
}
