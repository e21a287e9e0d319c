package org.rlhf4j.rlhf;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * Scores (prompt, response) pairs: the reward of stage 3 (PPO scores each rollout once, at its last real
 * token). One interface for a trained reward model and for a plain Java function (TRL users ask for
 * exactly this, trl#2518), so a trainer never knows which it has. Batches go in whole: a reward model
 * runs them through its transformer together.
 */
public interface RewardSource {

    /**
     * The reward of each {@code (prompts[i], responses[i])}, in order.
     *
     * @throws IllegalArgumentException when the lists differ in length, or an item cannot be scored
     */
    float[] score(List<String> prompts, List<String> responses);

    /** The reward of one (prompt, response). */
    default float score(String prompt, String response) {
        return score(List.of(prompt), List.of(response))[0];
    }

    /**
     * A reward source that calls {@code f(prompt, response)} for each item, e.g.
     * {@code RewardSource.fromFunction((p, r) -> r.contains("thanks") ? -1 : r.length() / 100.0)}.
     * A non-finite result is an error (it would poison every advantage of the batch).
     */
    static RewardSource fromFunction(ToDoubleBiFunction<String, String> f) {
        Objects.requireNonNull(f, "f");
        return (prompts, responses) -> {
            checkSizes(prompts, responses);
            float[] out = new float[prompts.size()];
            for (int i = 0; i < out.length; i++) {
                double r = f.applyAsDouble(prompts.get(i), responses.get(i));
                if (!Double.isFinite(r)) {
                    throw new IllegalArgumentException("the reward function returned " + r + " for item " + i);
                }
                out[i] = (float) r;
            }
            return out;
        };
    }

    /** Throws unless the two lists have the same length. */
    static void checkSizes(List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
        }
    }
}
