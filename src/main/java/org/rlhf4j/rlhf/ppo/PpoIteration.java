package org.rlhf4j.rlhf.ppo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one PPO iteration measured, under TRL's metric names (so runs compare with TRL's), plus a few
 * samples. Keys, in order ({@link #KEYS}; docs/ppo.md says what healthy values look like):
 * <pre>
 *   objective/kl               mean over responses of the summed per-token KL estimate to the reference
 *   objective/entropy          mean over responses of the summed per-token entropy of the sampling distribution
 *   objective/non_score_reward mean over responses of the summed KL penalty -beta * kl
 *   objective/rlhf_reward      objective/scores + objective/non_score_reward: what PPO maximises
 *   objective/scores           mean score (after the missing-stop penalty, before running normalization)
 *   objective/scores_std       the scores' population standard deviation
 *   policy/approxkl_avg        mean over micro-batches of 0.5 (logp - logp_old)^2 (masked)
 *   policy/clipfrac_avg        mean share of tokens where the policy objective's clipped branch was active
 *   policy/entropy_avg         mean entropy per token while training
 *   loss/policy_avg            mean clipped policy loss
 *   loss/value_avg             mean clipped value loss (before vf_coef)
 *   val/clipfrac_avg           mean share of tokens where the value loss's clipped branch was larger
 *   val/ratio                  mean probability ratio pi / pi_old over micro-batches
 *   val/ratio_var              variance of the micro-batch mean ratios
 *   val/num_eos_tokens         responses that ended with the stop token
 *   tokens/responses_len_mean  mean response length in tokens (stop token included)
 *   ppo/grad_norm              mean global gradient norm (before clipping) over the optimizer steps taken
 *   ppo/skipped_minibatches    minibatches skipped: mean ratio above ratio_threshold, or a non-finite gradient
 *   objective/kl_coef          beta used in this iteration's penalty
 *   episode                    responses generated so far
 *   lr                         the learning rate
 *   time/iteration_sec         wall-clock seconds of the iteration
 * </pre>
 *
 * @param iteration the iteration number, from 1
 * @param metrics   every key of {@link #KEYS}, in that order (unmodifiable)
 * @param samples   the first few (prompt, response, score) of the rollout
 */
public record PpoIteration(int iteration, Map<String, Double> metrics, List<Sample> samples) {

    public static final List<String> KEYS = List.of("objective/kl", "objective/entropy",
            "objective/non_score_reward", "objective/rlhf_reward", "objective/scores", "objective/scores_std",
            "policy/approxkl_avg", "policy/clipfrac_avg", "policy/entropy_avg", "loss/policy_avg", "loss/value_avg",
            "val/clipfrac_avg", "val/ratio", "val/ratio_var", "val/num_eos_tokens", "tokens/responses_len_mean",
            "ppo/grad_norm", "ppo/skipped_minibatches", "objective/kl_coef", "episode", "lr", "time/iteration_sec");

    /** One rollout sample. */
    public record Sample(String prompt, String response, double score) {
    }

    public PpoIteration {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        samples = List.copyOf(samples);
    }

    /** The metric called {@code key}. */
    public double metric(String key) {
        Double v = metrics.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no metric " + key + "; known: " + metrics.keySet());
        }
        return v;
    }

    /** One line for a progress log: the numbers to watch. */
    public String summary() {
        return String.format(Locale.ROOT, "ppo %d: score %.3f kl %.3f beta %.3f rlhf %.3f entropy %.2f len %.1f "
                        + "clip %.3f vloss %.4f ratio %.3f skipped %.0f (%.1f s)", iteration,
                metric("objective/scores"), metric("objective/kl"), metric("objective/kl_coef"),
                metric("objective/rlhf_reward"), metric("objective/entropy"), metric("tokens/responses_len_mean"),
                metric("policy/clipfrac_avg"), metric("loss/value_avg"), metric("val/ratio"),
                metric("ppo/skipped_minibatches"), metric("time/iteration_sec"));
    }

    /**
     * 10. The metrics of iteration {@code iteration} under TRL's names, from the rollout batch, what the
     * epochs measured, the batch's summed KL and the iteration's seconds; {@link PpoTrainer#SAMPLES} samples.
     */
    static PpoIteration measure(PpoBatch batch, PpoEpochs.Optimized o, double klSum, double seconds, int iteration,
                                double lr) {
        int N = batch.size(), R = batch.R();
        double score = 0, scoreSq = 0, len = 0, eos = 0;
        for (int b = 0; b < N; b++) {
            score += batch.scores()[b];
            len += batch.length(b);
            eos += batch.stopped()[b] ? 1 : 0;
        }
        score /= N;
        for (int b = 0; b < N; b++) {
            scoreSq += (batch.scores()[b] - score) * (batch.scores()[b] - score);
        }
        double nonScore = -batch.beta() * klSum;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("objective/kl", klSum);
        m.put("objective/entropy", Rows.meanOfRowSums(batch.entropy(), batch.mask(), N, R));
        m.put("objective/non_score_reward", nonScore);
        m.put("objective/rlhf_reward", score + nonScore);
        m.put("objective/scores", score);
        m.put("objective/scores_std", Math.sqrt(scoreSq / N));
        m.put("policy/approxkl_avg", o.approxKl());
        m.put("policy/clipfrac_avg", o.pgClip());
        m.put("policy/entropy_avg", o.entropy());
        m.put("loss/policy_avg", o.pgLoss());
        m.put("loss/value_avg", o.vfLoss());
        m.put("val/clipfrac_avg", o.vfClip());
        m.put("val/ratio", o.ratioMean());
        m.put("val/ratio_var", o.ratioVar());
        m.put("val/num_eos_tokens", eos);
        m.put("tokens/responses_len_mean", len / N);
        m.put("ppo/grad_norm", o.gradNorm());
        m.put("ppo/skipped_minibatches", (double) o.skipped());
        m.put("objective/kl_coef", batch.beta());
        m.put("episode", (double) iteration * N);
        m.put("lr", lr);
        m.put("time/iteration_sec", seconds);
        List<PpoIteration.Sample> samples = new ArrayList<>();
        for (int b = 0; b < Math.min(PpoTrainer.SAMPLES, N); b++) {
            samples.add(new PpoIteration.Sample(batch.prompts().get(b), batch.responses().get(b), batch.scores()[b]));
        }
        return new PpoIteration(iteration, m, samples);
    }
}
