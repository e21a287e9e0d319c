/**
 * nn: the GPT-2 language model built from tensor ops. {@link org.rlhf4j.nn.Module} holds named
 * parameters in registration order under the GPT-2 / Hugging Face names
 * ({@code transformer.h.0.attn.c_attn.weight}); the layers are {@link org.rlhf4j.nn.Linear} (weights
 * stored in GPT-2's Conv1D orientation, (in, out)), {@link org.rlhf4j.nn.Embedding},
 * {@link org.rlhf4j.nn.LayerNorm}, {@link org.rlhf4j.nn.Dropout}, {@link org.rlhf4j.nn.CausalSelfAttention},
 * {@link org.rlhf4j.nn.Mlp} and the pre-LN {@link org.rlhf4j.nn.Block}; {@link org.rlhf4j.nn.Gpt} stacks
 * them with a head tied to the token embedding, configured by the validated record
 * {@link org.rlhf4j.nn.GptConfig}. {@link org.rlhf4j.nn.KvCache} and {@link org.rlhf4j.nn.Sampler}
 * generate text one single-token step at a time. Dimension letters used as locals throughout:
 * B batch, T time (sequence length), C channels ({@code nEmbd}), V vocabulary, NH heads, HS head size
 * ({@code C / NH}), L the number of cached positions. docs/model.md gives the equations and shapes.
 *
 * <p>May import: {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels} and the JDK.
 */
package org.rlhf4j.nn;
