package org.rlhf4j.feedback.label;

import java.io.IOException;
import java.util.List;

/**
 * Completions to show a person for one prompt: sampled from a model ({@link SampledCandidates}), read from
 * prepared candidates ({@link CandidateFile}), or anything else (a test double is one lambda).
 */
@FunctionalInterface
public interface CandidateSource {

    /**
     * Completions of {@code prompt}, {@code k} of them as a rule. The session keeps the first {@code k} that
     * are non-blank and distinct, and passes over a prompt left with fewer than two.
     */
    List<String> candidates(String prompt, int k) throws IOException;
}
