package org.rlhf4j.feedback.label;

import java.util.Locale;

/** What a person is asked for each prompt, and so which record is written. */
public enum LabelMode {
    /** Order K completions best first; writes a {@link org.rlhf4j.feedback.RankedPreference}. */
    RANK,
    /** Pick the better of two completions; writes a {@link org.rlhf4j.feedback.PairwisePreference}. */
    PAIRWISE;

    /** The name used on the command line and in the web page's JSON: {@code rank} or {@code pairwise}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code id} ({@code rank} or {@code pairwise}, any case). */
    public static LabelMode of(String id) {
        for (LabelMode m : values()) {
            if (m.id().equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown label mode '" + id + "'; expected rank or pairwise");
    }
}
