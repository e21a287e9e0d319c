/**
 * data: what a language model trains on. {@link org.rlhf4j.data.Corpus} reads text (the bundled
 * Moby-Dick, or a UTF-8 file); {@link org.rlhf4j.data.TokenStream} holds its token ids and splits them
 * 90/10 into training and validation as nanoGPT does; {@link org.rlhf4j.data.BlockBatcher} draws random
 * (B, T) blocks of inputs and next-token targets from an explicitly seeded
 * {@link org.rlhf4j.tensor.Generator}, whose (seed, counter) state is the batcher's whole state.
 * Supervised fine-tuning data is JSONL of {@code {"prompt", "completion"}}: {@link org.rlhf4j.data.SftReader}
 * reads and checks it (a malformed line is a {@link org.rlhf4j.data.DatasetFormatException} naming the
 * file, the 1-based line and the field; a lenient mode skips and counts up to a limit),
 * {@link org.rlhf4j.data.SftEncoder} turns examples into fixed-length blocks with the loss masked to the
 * completion ({@link org.rlhf4j.data.SftEncoder#IGNORE_INDEX}), and {@link org.rlhf4j.data.SftBatcher}
 * draws batches of them. {@link org.rlhf4j.data.JsonlLines} splits JSONL into checked lines (a cap that
 * never holds an over-long line, strict UTF-8 with the bad byte's place) for SFT and preference readers alike.
 * Tokenizers live in the sub-package {@code tokenizer}. docs/data.md explains it all.
 *
 * <p>May import: its sub-package {@code tokenizer}, {@code org.rlhf4j.tensor.Generator} (for seeded
 * draws), the base package {@code org.rlhf4j} (its root exception), the JDK and Jackson. Batches are plain {@code int[]}, so nothing here depends on nn or Tensor.
 */
package org.rlhf4j.data;
