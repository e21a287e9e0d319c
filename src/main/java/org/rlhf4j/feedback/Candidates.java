package org.rlhf4j.feedback;

import java.util.List;

/**
 * K completions of one prompt waiting to be judged: a line {@code {"prompt", "completions": [...]}} before
 * anyone has ranked it ({@link PreferenceReader#readCandidates}), or K samples from a model.
 */
public record Candidates(String prompt, List<String> completions) {

    public Candidates {
        if (prompt == null || completions == null) {
            throw new IllegalArgumentException("prompt and completions must not be null");
        }
        completions = List.copyOf(completions);
        if (completions.size() < 2) {
            throw new IllegalArgumentException("at least 2 completions are needed to rank, got " + completions.size());
        }
        for (String c : completions) {
            if (c.isEmpty()) {
                throw new IllegalArgumentException("completions must not be empty");
            }
        }
    }

    /** The number of completions, K. */
    public int size() {
        return completions.size();
    }
}
