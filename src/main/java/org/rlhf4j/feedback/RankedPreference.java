package org.rlhf4j.feedback;

import java.util.List;

/**
 * A ranking of K outputs for one prompt, InstructGPT's form
 * {@code {"prompt", "completions": [...], "ranking": [...]}}: {@code ranking} lists indices into
 * {@code completions}, best first, and is a permutation of {@code 0..K-1} (no ties). K is at least 2.
 */
public record RankedPreference(String prompt, List<String> completions, List<Integer> ranking) implements Preference {

    public RankedPreference {
        if (prompt == null || completions == null || ranking == null) {
            throw new IllegalArgumentException("prompt, completions and ranking must not be null");
        }
        completions = List.copyOf(completions);
        ranking = List.copyOf(ranking);
        int k = completions.size();
        if (k < 2) {
            throw new IllegalArgumentException("a ranking needs at least 2 completions, got " + k);
        }
        if (ranking.size() != k) {
            throw new IllegalArgumentException("ranking has " + ranking.size() + " entries for " + k + " completions");
        }
        boolean[] seen = new boolean[k];
        for (int r : ranking) {
            if (r < 0 || r >= k || seen[r]) {
                throw new IllegalArgumentException("ranking must be a permutation of 0.." + (k - 1) + ", got " + ranking);
            }
            seen[r] = true;
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

    /** The completion at rank {@code rank} (0 = best). */
    public String atRank(int rank) {
        return completions.get(ranking.get(rank));
    }
}
