/**
 * feedback: human feedback. The preference records ({@link org.rlhf4j.feedback.Preference}: pairwise,
 * ranked, rated), their JSONL readers and appending writers, labelling by people (terminal and browser),
 * and simulated annotators grounded in real human ratings. docs/feedback.md describes the formats.
 *
 * <p>May import: {@code org.rlhf4j.train}, {@code org.rlhf4j.optim}, {@code org.rlhf4j.io},
 * {@code org.rlhf4j.data} (and its tokenizer package), {@code org.rlhf4j.nn}, {@code org.rlhf4j.tensor},
 * {@code org.rlhf4j.kernels}, the JDK and Jackson. Not {@code org.rlhf4j.rlhf}: that package
 * reads these records, never the other way round.
 */
package org.rlhf4j.feedback;
