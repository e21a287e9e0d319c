package org.rlhf4j.feedback;

/**
 * A pairwise judgement, TRL's format {@code {"prompt", "chosen", "rejected"}}: of two outputs for the
 * same prompt, {@code chosen} was preferred. The prompt may be empty; chosen and rejected may not
 * (an empty response carries no reward signal, and the reward model reads the last real token).
 */
public record PairwisePreference(String prompt, String chosen, String rejected) implements Preference {

    public PairwisePreference {
        if (prompt == null || chosen == null || rejected == null) {
            throw new IllegalArgumentException("prompt, chosen and rejected must not be null (an absent prompt is \"\")");
        }
        if (chosen.isEmpty() || rejected.isEmpty()) {
            throw new IllegalArgumentException("chosen and rejected must not be empty");
        }
    }
}
