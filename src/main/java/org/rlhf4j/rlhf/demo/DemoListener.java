package org.rlhf4j.rlhf.demo;

import java.util.Map;
import org.rlhf4j.rlhf.reward.RewardStepMetrics;
import org.rlhf4j.train.StepMetrics;

/**
 * Progress of a {@link Demo} run. The demo never prints; the CLI implements this. Every method has an
 * empty default and is called on the demo's thread, so it should be quick.
 */
public interface DemoListener {

    /** A listener that ignores everything. */
    DemoListener NONE = new DemoListener() { };

    /** A stage begins; {@code detail} says what it will do, with the sizes. */
    default void stageStarted(DemoStage stage, String detail) {
    }

    /** A stage ended after {@code seconds}; {@code outcome} is one line of its result. */
    default void stageFinished(DemoStage stage, double seconds, String outcome) {
    }

    /** After every pretraining step. */
    default void pretrainStep(StepMetrics m) {
    }

    /** After every reward-model step. */
    default void rewardStep(RewardStepMetrics m) {
    }

    /** After PPO iteration {@code iteration} (1-based) of {@code iterations}, with its TRL-named metrics. */
    default void ppoIteration(int iteration, int iterations, Map<String, Double> metrics) {
    }
}
