/**
 * rlhf: the pieces the RLHF algorithms share. {@link org.rlhf4j.rlhf.RewardSource} is what PPO (and any
 * later algorithm) asks for a score: a trained reward model ({@code rlhf.reward.RewardModel}) or a plain
 * Java function. The algorithms live in subpackages as {@code <Algo>Config} (a record),
 * {@code <Algo>Losses} (pure static maths) and {@code <Algo>Trainer} (the loop): {@code rlhf.reward}
 * for stage 2 (docs/reward-model.md).
 *
 * <p>May import: {@code org.rlhf4j.feedback}, {@code org.rlhf4j.train}, {@code org.rlhf4j.optim},
 * {@code org.rlhf4j.io}, {@code org.rlhf4j.data} (and its tokenizer package), {@code org.rlhf4j.nn},
 * {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels}, the JDK and Jackson. Never {@code org.rlhf4j.cli}.
 * Nothing here prints or exits: progress goes to listeners, problems to exceptions.
 */
package org.rlhf4j.rlhf;
