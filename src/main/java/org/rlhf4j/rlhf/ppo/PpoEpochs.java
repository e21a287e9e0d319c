package org.rlhf4j.rlhf.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.rlhf.MaskedStats;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Phase 8 of a PPO iteration (RLHF.md stage 3, step 8; Schulman et al. 2017, Algorithm 1): the epochs of
 * shuffled minibatches over one rollout batch, each minibatch one clipped-loss step of the policy and the
 * value model. {@link PpoTrainer} owns the models, optimizers and generator and passes them in.
 */
final class PpoEpochs {

    private PpoEpochs() {
    }

    /** Sums of what phase 8 measured. */
    record Optimized(double pgLoss, double vfLoss, double pgClip, double vfClip, double approxKl, double entropy,
                     double ratioMean, double ratioVar, double gradNorm, int skipped, int micro) {
    }

    /**
     * 8. PPO epochs: each epoch reshuffles the rows and walks minibatches of micro-batches; each micro-batch
     * backpropagates (policy loss + vfCoef * value loss) / gradAccum; each minibatch then takes one step of
     * both optimizers after a joint gradient clip, unless its mean ratio passes ratioThreshold or its gradient
     * is not finite (skipped, counted). {@code rng} is the trainer's generator (its draws are part of the
     * checkpointed state); {@code micro} rows per micro-batch.
     */
    static Optimized run(PpoConfig cfg, Gpt policy, RewardModel value, AdamW policyOpt, AdamW valueOpt, int padId,
                         int micro, Generator rng, PpoBatch batch) {
        int N = batch.size(), R = batch.R(), mini = N / cfg.miniBatches();
        List<Tensor> params = new ArrayList<>(policy.parameters());
        params.addAll(value.parameters());
        double pg = 0, vf = 0, pgClip = 0, vfClip = 0, akl = 0, ent = 0, normSum = 0;
        List<Double> ratios = new ArrayList<>();
        int skipped = 0, steps = 0, micros = 0;
        for (int epoch = 0; epoch < cfg.ppoEpochs(); epoch++) {
            int[] order = shuffle(N, rng);
            for (int m = 0; m < cfg.miniBatches(); m++) {
                policyOpt.zeroGrad();
                valueOpt.zeroGrad();
                double miniRatio = 0;
                for (int k = 0; k < cfg.gradAccum(); k++) {
                    int[] rows = Arrays.copyOfRange(order, m * mini + k * micro, m * mini + (k + 1) * micro);
                    float[] mask = Rows.gather(batch.mask(), rows, R);
                    float[] e = new float[rows.length * R];
                    Tensor logp = Rollouts.logProbs(policy, batch.promptIds(), batch.responseIds(), rows, R,
                            padId, cfg.temperature(), e);
                    Tensor v = Rollouts.values(value, batch.promptIds(), batch.responseIds(), rows, R, padId);
                    PpoLosses.PolicyLoss pl = PpoLosses.policy(logp, Rows.gather(batch.logProbs(), rows, R),
                            Rows.gather(batch.advantages(), rows, R), mask, cfg.clipRange());
                    PpoLosses.ValueLoss vl = PpoLosses.value(v, Rows.gather(batch.values(), rows, R),
                            Rows.gather(batch.returns(), rows, R), mask, cfg.clipRangeValue());
                    Tensor loss = pl.loss().add(vl.loss().scale((float) cfg.vfCoef()));
                    (cfg.gradAccum() == 1 ? loss : loss.scale(1f / cfg.gradAccum())).backward();
                    pg += pl.loss().item();
                    vf += vl.loss().item();
                    pgClip += pl.clipFrac();
                    vfClip += vl.clipFrac();
                    akl += pl.approxKl();
                    ent += MaskedStats.mean(e, mask);
                    ratios.add(pl.ratioMean());
                    miniRatio += pl.ratioMean() / cfg.gradAccum();
                    micros++;
                }
                double norm = GradClip.clipGlobalNorm(params, cfg.maxGradNorm());
                if (!(miniRatio <= cfg.ratioThreshold()) || !Double.isFinite(norm)) {
                    skipped++; // ratio past the threshold (or NaN), or a non-finite gradient: no update
                } else {
                    policyOpt.step();
                    valueOpt.step();
                    normSum += norm;
                    steps++;
                }
                policyOpt.zeroGrad();
                valueOpt.zeroGrad();
            }
        }
        double rm = 0, rv = 0;
        for (double r : ratios) {
            rm += r;
        }
        rm /= ratios.size();
        for (double r : ratios) {
            rv += (r - rm) * (r - rm);
        }
        rv = ratios.size() > 1 ? rv / (ratios.size() - 1) : 0;
        return new Optimized(pg / micros, vf / micros, pgClip / micros, vfClip / micros, akl / micros, ent / micros,
                rm, rv, steps == 0 ? Double.NaN : normSum / steps, skipped, micros);
    }

    /** 0 .. n-1 in a Fisher-Yates order drawn from {@code rng}. */
    static int[] shuffle(int n, Generator rng) {
        int[] order = Rows.range(0, n);
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates with the trainer's generator
            int j = (int) (rng.nextUniform() * (i + 1));
            j = Math.min(j, i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
