/**
 * train: the pretraining / SFT loop. {@link org.rlhf4j.train.TrainConfig} (nanoGPT's train.py settings,
 * validated, with the shakespeare-char CPU recipe as a preset) and {@link org.rlhf4j.train.Recipe} (a
 * named model shape plus training config; {@link org.rlhf4j.train.Overrides} applies {@code key=value}
 * changes); {@link org.rlhf4j.train.Trainer}, the loop in numbered phases (batch, forward + loss,
 * backward with accumulation, clip, schedule, AdamW step, log/eval/checkpoint), with periodic
 * validation loss, {@link org.rlhf4j.train.MetricsLog metrics.jsonl}, checkpoints through the io package
 * ({@link org.rlhf4j.train.ModelCheckpoint} maps the model, tokenizer and optimizer onto them) and an
 * exact resume. The trainer never prints: it reports to a {@link org.rlhf4j.train.TrainListener}.
 * docs/training.md describes the recipe, the metrics, checkpoints and resume.
 *
 * <p>May import: {@code org.rlhf4j.optim}, {@code org.rlhf4j.io}, {@code org.rlhf4j.data} (and its
 * tokenizer package), {@code org.rlhf4j.nn}, {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels},
 * the JDK and Jackson.
 */
package org.rlhf4j.train;
