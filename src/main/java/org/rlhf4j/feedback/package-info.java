/**
 * feedback: human feedback. The preference records ({@link org.rlhf4j.feedback.Preference}: pairwise,
 * ranked, rated), their JSONL readers and appending writers, labelling by people (terminal and browser),
 * and simulated annotators grounded in real human ratings. docs/feedback.md describes the formats.
 *
 * <p>Reading order: {@link org.rlhf4j.feedback.PreferenceJson} (one record as one line),
 * {@link org.rlhf4j.feedback.PreferenceReader} (strict or lenient, every bad line named by file, line and
 * field) and {@link org.rlhf4j.feedback.PreferenceWriter} (appends whole lines, repairs a torn tail),
 * with {@link org.rlhf4j.feedback.ScoringInput} (the lines {@code rlhf4j score} reads, read the same way);
 * then {@link org.rlhf4j.feedback.VaderLexicon} (words rated by 10 people each),
 * {@link org.rlhf4j.feedback.Annotator} and {@link org.rlhf4j.feedback.VaderAnnotator} (a simulated person
 * drawing real ratings), {@link org.rlhf4j.feedback.AnnotatorPanel} with {@link org.rlhf4j.feedback.Kendall}
 * (agreement on the candidate pairs both sides decide; ties are no agreement), and {@link org.rlhf4j.feedback.UciSentences} (sentences labelled by people, as pairs).
 *
 * <p>May import: {@code org.rlhf4j.train}, {@code org.rlhf4j.optim}, {@code org.rlhf4j.io},
 * {@code org.rlhf4j.data} (and its tokenizer package), {@code org.rlhf4j.nn}, {@code org.rlhf4j.tensor},
 * {@code org.rlhf4j.kernels}, the JDK and Jackson. Not {@code org.rlhf4j.rlhf}: that package
 * reads these records, never the other way round.
 */
package org.rlhf4j.feedback;
