package org.rlhf4j.train;

import java.nio.file.Path;

/**
 * Progress of a {@link Trainer} run. The trainer never prints; the CLI implements this with a progress
 * bar. Every method has an empty default; they are called on the training thread, so they should be quick.
 */
public interface TrainListener {

    /** A listener that ignores everything. */
    TrainListener NONE = new TrainListener() { };

    /**
     * Before the first step of this session.
     *
     * @param startStep  steps already done (0, or the checkpoint's step when resuming)
     * @param maxIters   the last step
     * @param parameters the model's parameter count
     */
    default void started(int startStep, int maxIters, long parameters) {
    }

    /** After every optimizer step (and its evaluation, when there is one). */
    default void step(StepMetrics m) {
    }

    /** After a checkpoint of {@code step} steps was written to {@code dir}. */
    default void checkpointed(int step, Path dir) {
    }
}
