/**
 * io: reading and writing what a training run keeps on disk. {@link org.rlhf4j.io.SafeTensors} reads
 * the Hugging Face safetensors format, validating the whole header before it allocates and reporting
 * each kind of bad file as its own {@link org.rlhf4j.io.SafeTensorsException} subclass, and writes F32
 * files atomically ({@link org.rlhf4j.io.AtomicFiles}: temp file, force, atomic rename);
 * {@link org.rlhf4j.io.Checkpoint} saves and loads a whole checkpoint directory (weights, config,
 * tokenizer, optimizer moments, trainer state, and a manifest with SHA-256 checksums) so that a crash
 * at any moment leaves the previous checkpoint loadable; {@link org.rlhf4j.io.HfGpt2} loads a Hugging
 * Face GPT-2 {@code model.safetensors} + {@code config.json}. The API is plain names, float arrays
 * ({@link org.rlhf4j.io.NamedTensor}) and Jackson JSON trees, so the model, optimizer and trainer
 * packages plug in without this package knowing them. Nothing read from a file is ever used as a class
 * name, code or path. {@link org.rlhf4j.io.PathRoot} confines checkpoint and dataset paths given by
 * users to a root directory ({@code ..} and symbolic links out are refused). docs/checkpoints.md describes
 * the format, the validation rules and the atomicity design.
 *
 * <p>May import: {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels}, the JDK and Jackson.
 */
package org.rlhf4j.io;
