package org.rlhf4j.rlhf.reward;

import org.rlhf4j.nn.DoubleGpt;
import org.rlhf4j.nn.GptConfig;

/**
 * A reward model written again in double precision with plain loops, for gradient checks: GPT-2's trunk
 * (a config with biases, parameters in {@code RewardModel.namedParameters()} order, Linear weights
 * (in, out)), the final layer norm, then {@code r_b = h[b, last_b] · w + bias} and the batch loss of
 * {@link RewardLosses#batch}. Independent of the tensor engine: the trunk is {@link DoubleGpt}'s, no op of the tape is reused.
 */
final class DoubleRewardModel {

    private final GptConfig c;
    private final int[] ids;
    private final int[] last;
    private final int B, T;

    DoubleRewardModel(GptConfig config, RewardModel.Batch batch) {
        this.c = config;
        this.ids = batch.ids().clone();
        this.last = batch.last().clone();
        this.B = batch.B();
        this.T = batch.T();
    }

    /** Rewards (B) for the parameters p: the trunk (DoubleGpt's), then the head at each row's last token. */
    double[] rewards(double[][] p) {
        int C = c.nEmbd(), k = 2 + 12 * c.nLayer() + 2; // the head after the embeddings, blocks and ln_f
        double[] h = new DoubleGpt(c, ids, B, T).hidden(p);
        double[] w = p[k], bias = p[k + 1];
        double[] r = new double[B];
        for (int b = 0; b < B; b++) {
            double s = bias[0];
            for (int j = 0; j < C; j++) {
                s += h[(b * T + last[b]) * C + j] * w[j];
            }
            r[b] = s;
        }
        return r;
    }

    /** The batch loss of the rewards: mean over rankings of the mean of -log sigma(r_w - r_l - m) + c (r_w + r_l)^2. */
    double loss(double[][] p, int[][] rankings, double margin, double centerCoef) {
        double[] r = rewards(p);
        double total = 0;
        int offset = 0;
        for (int[] ranking : rankings) {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < ranking.length; i++) {
                for (int j = i + 1; j < ranking.length; j++) {
                    double rw = r[offset + ranking[i]], rl = r[offset + ranking[j]];
                    sum += Math.log1p(Math.exp(-(rw - rl - margin))) + centerCoef * (rw + rl) * (rw + rl);
                    pairs++;
                }
            }
            total += sum / pairs / rankings.length;
            offset += ranking.length;
        }
        return total;
    }
}
