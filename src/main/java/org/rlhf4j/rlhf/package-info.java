/**
 * rlhf: the pieces the RLHF algorithms share. {@link org.rlhf4j.rlhf.RewardSource} is what PPO (and any
 * later algorithm) asks for a score: a trained reward model ({@code rlhf.reward.RewardModel}) or a plain
 * Java function. The pure maths over masked per-token arrays: {@link org.rlhf4j.rlhf.Gae} (generalised
 * advantage estimation), {@link org.rlhf4j.rlhf.KlEstimators} (k1, k2, k3),
 * {@link org.rlhf4j.rlhf.MaskedStats} (masked means and whitening), {@link org.rlhf4j.rlhf.KlController}
 * (fixed or adaptive β) and {@link org.rlhf4j.rlhf.RunningMoments}. The algorithms live in subpackages
 * as {@code <Algo>Config} (a record), {@code <Algo>Losses} (pure static maths) and {@code <Algo>Trainer}
 * (the loop): {@code rlhf.reward} for stage 2 (docs/reward-model.md), {@code rlhf.ppo} for stage 3
 * (docs/ppo.md).
 *
 * <p>May import: {@code org.rlhf4j.feedback}, {@code org.rlhf4j.train}, {@code org.rlhf4j.optim},
 * {@code org.rlhf4j.io}, {@code org.rlhf4j.data} (and its tokenizer package), {@code org.rlhf4j.nn},
 * {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels}, the JDK and Jackson. Never {@code org.rlhf4j.cli}.
 * Nothing here prints or exits: progress goes to listeners, problems to exceptions.
 */
package org.rlhf4j.rlhf;
