package org.rlhf4j.feedback.label;

import java.util.List;

/**
 * One question put to a person: a prompt and its candidate completions, numbered 0..K-1 in the order
 * shown. {@code id} is unique within a session, so an answer to an item that is no longer current (a
 * second browser tab, a double click) is recognised and refused.
 */
public record LabelItem(long id, String prompt, List<String> completions) {

    public LabelItem {
        completions = List.copyOf(completions);
        if (completions.size() < 2) {
            throw new IllegalArgumentException("an item needs at least 2 completions, got " + completions.size());
        }
    }

    /** The number of completions, K. */
    public int size() {
        return completions.size();
    }
}
