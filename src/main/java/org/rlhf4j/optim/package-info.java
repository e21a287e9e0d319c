/**
 * optim: training a {@link org.rlhf4j.nn.Module}'s parameters from their accumulated gradients.
 * {@link org.rlhf4j.optim.AdamW} (Loshchilov and Hutter 2019, decoupled weight decay; parameter
 * groups from {@link org.rlhf4j.optim.ParamGroups}, state exposed for checkpoints),
 * {@link org.rlhf4j.optim.LrSchedule} (linear warmup, cosine decay to a floor, as nanoGPT) and
 * {@link org.rlhf4j.optim.GradClip} (global-norm clipping that returns the norm). Gradient
 * accumulation needs no class: run backward on {@code loss / N} for N micro-batches (gradients add up
 * in the parameters), then clip and step once. docs/optim.md gives the equations. The update loops
 * run over the parameters' arrays here: they are elementwise, O(parameters) per step, and need no
 * kernel. Configs are validated records.
 *
 * <p>May import: {@code org.rlhf4j.nn}, {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels} and the JDK.
 */
package org.rlhf4j.optim;
