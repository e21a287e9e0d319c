package org.rlhf4j.feedback;

/**
 * One output scored on its own, {@code {"prompt", "completion", "rating"}}, from annotators who rate one
 * output at a time. The rating is any finite number (its scale is the data's: 1..7 Likert, -4..+4 as
 * VADER's raters, ...).
 */
public record RatedPreference(String prompt, String completion, double rating) implements Preference {

    public RatedPreference {
        if (prompt == null || completion == null) {
            throw new IllegalArgumentException("prompt and completion must not be null");
        }
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("the completion must not be empty");
        }
        if (!Double.isFinite(rating)) {
            throw new IllegalArgumentException("the rating must be finite, got " + rating);
        }
    }
}
