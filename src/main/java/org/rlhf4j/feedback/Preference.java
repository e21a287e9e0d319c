package org.rlhf4j.feedback;

/**
 * One human (or simulated) judgement about model outputs, in one of the three JSONL forms of
 * docs/feedback.md. Every form has a prompt; it is the empty string where the data had none (TRL's
 * pairwise format makes the prompt optional, and then the prompt is part of chosen and rejected).
 */
public sealed interface Preference permits PairwisePreference, RankedPreference, RatedPreference {

    /** The prompt the outputs answer; empty when the record carried none. */
    String prompt();
}
