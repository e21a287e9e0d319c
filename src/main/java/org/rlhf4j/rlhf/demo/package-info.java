/**
 * rlhf.demo: the whole RLHF pipeline on bundled real data, as a library ({@code rlhf4j demo} is its command
 * line). {@link org.rlhf4j.rlhf.demo.Demo} runs the stages of {@link org.rlhf4j.rlhf.demo.DemoStage} in order,
 * each a class of its own: {@link org.rlhf4j.rlhf.demo.Pretraining} (a character GPT on Moby-Dick),
 * {@link org.rlhf4j.rlhf.demo.Feedback} (samples of {@link org.rlhf4j.rlhf.demo.DemoPrompts}, ranked by a
 * simulated VADER panel), {@link org.rlhf4j.rlhf.demo.RewardStage} (the reward model, with
 * {@link org.rlhf4j.rlhf.demo.UciPairs}), {@link org.rlhf4j.rlhf.demo.PpoStage} (PPO toward it) and
 * {@link org.rlhf4j.rlhf.demo.Evaluation} (reference vs tuned on held-out prompts: reward, KL, a fresh panel,
 * distinct-n), then {@link org.rlhf4j.rlhf.demo.DemoFiles} and {@link org.rlhf4j.rlhf.demo.DemoReport} write
 * summary.json, samples.jsonl and report.html. {@link org.rlhf4j.rlhf.demo.DemoConfig} (presets
 * {@code standard()} and {@code quick()}, {@link org.rlhf4j.rlhf.demo.DemoOverrides} for {@code --set}) says
 * what runs; {@link org.rlhf4j.rlhf.demo.HeapMonitor} measures the heap. docs/ppo.md ("The demo") has the
 * settings and the measured figures.
 *
 * <p>May import what {@code org.rlhf4j.rlhf} may (feedback, train, optim, io, data, nn, tensor, kernels),
 * {@code org.rlhf4j.rlhf} and its subpackages, the JDK (with its {@code com.sun.management} collector
 * notifications) and Jackson; never {@code org.rlhf4j.cli}. Nothing here prints or exits: progress goes to a
 * {@link org.rlhf4j.rlhf.demo.DemoListener}, problems to exceptions.
 */
package org.rlhf4j.rlhf.demo;
