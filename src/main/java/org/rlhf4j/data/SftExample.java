package org.rlhf4j.data;

/**
 * One supervised fine-tuning example: the model is shown {@code prompt} and trained to continue it with
 * {@code completion}. The prompt may be empty; the completion may not. {@code source} and {@code line}
 * say where it was read from (for error messages downstream); examples made in code use
 * {@code "<memory>"} and line 0.
 */
public record SftExample(String prompt, String completion, String source, long line) {

    public SftExample {
        if (prompt == null || completion == null) {
            throw new IllegalArgumentException("prompt and completion must not be null");
        }
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("the completion must not be empty: there would be nothing to learn");
        }
    }

    /** An example made in code. */
    public SftExample(String prompt, String completion) {
        this(prompt, completion, "<memory>", 0);
    }
}
