/**
 * rlhf.ppo: stage 3 of RLHF, PPO against a reward source with a frozen reference (docs/ppo.md).
 * {@link org.rlhf4j.rlhf.ppo.PpoConfig} holds every knob with its source, {@link org.rlhf4j.rlhf.ppo.PpoLosses}
 * the clipped policy and value losses (pure, through tensors), {@link org.rlhf4j.rlhf.ppo.PpoTrainer} the
 * loop with its ten numbered phases (phase 8, the epochs of minibatches, in {@code PpoEpochs}; the rollout's
 * model passes in {@code Rollouts}), {@link org.rlhf4j.rlhf.ppo.PpoIteration} and
 * {@link org.rlhf4j.rlhf.ppo.PpoMetricsLog} the metrics under TRL's names. The shared maths (GAE, KL
 * estimators and controller, masked statistics) lives in {@code org.rlhf4j.rlhf}.
 *
 * <p>Dimension letters: N rollout rows (prompts), R response positions (maxNewTokens), B rows of one
 * micro-batch, T model positions, V vocabulary, C residual width. May import what {@code org.rlhf4j.rlhf}
 * may, {@code org.rlhf4j.rlhf} and {@code org.rlhf4j.rlhf.reward}; never cli. Nothing here prints or exits.
 */
package org.rlhf4j.rlhf.ppo;
