/**
 * rlhf.reward: stage 2 of RLHF, the reward model (docs/reward-model.md). {@link RewardModel} is the GPT
 * trunk with a scalar head read at the last real token; {@link RewardLosses} the Bradley-Terry maths
 * (pairwise with margin and centering, K-way rankings as all C(K,2) pairs); {@link RewardConfig} and
 * {@link RewardTrainer} the recipe and the loop; {@link RewardEncoder} the text-to-ids step with its
 * {@link OverLength} policy; {@link RewardCheckpoint} the model on disk, normalization included.
 *
 * <p>Dimension letters as in nn: B rows, T positions, C the residual width; N responses in a batch, P
 * pairs, K responses of one ranking, G rankings. May import what {@code org.rlhf4j.rlhf} may (feedback,
 * train, optim, io, data, nn, tensor, kernels), and {@code org.rlhf4j.rlhf} itself; never cli.
 */
package org.rlhf4j.rlhf.reward;
