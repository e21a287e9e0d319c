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

    /** {@link #key(String, List)} of this item. */
    public String key() {
        return key(prompt, completions);
    }

    /**
     * What identifies a judged item, for resuming and de-duplicating: the prompt and the set of completions,
     * in a form that does not depend on their order (a ranking lists them in any order; a pairwise record
     * as chosen, rejected). Two items with the same prompt but other completions are different items, so
     * prompt-less candidate lines (all prompts "") do not collapse into one. Each string is written with
     * its length, so no two different items share a key.
     */
    public static String key(String prompt, List<String> completions) {
        List<String> sorted = new java.util.ArrayList<>(completions);
        java.util.Collections.sort(sorted);
        StringBuilder sb = new StringBuilder().append(prompt.length()).append(':').append(prompt);
        for (String c : sorted) {
            sb.append('|').append(c.length()).append(':').append(c);
        }
        return sb.toString();
    }

    /** The number of completions, K. */
    public int size() {
        return completions.size();
    }
}
