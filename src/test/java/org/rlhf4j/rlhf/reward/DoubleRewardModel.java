package org.rlhf4j.rlhf.reward;

import org.rlhf4j.nn.GptConfig;

/**
 * A reward model written again in double precision with plain loops, for gradient checks: GPT-2's trunk
 * (a config with biases, parameters in {@code RewardModel.namedParameters()} order, Linear weights
 * (in, out)), the final layer norm, then {@code r_b = h[b, last_b] · w + bias} and the batch loss of
 * {@link RewardLosses#batch}. Independent of the tensor engine: no op of the tape is reused.
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

    /** Rewards (B) for the parameters p. */
    double[] rewards(double[][] p) {
        int C = c.nEmbd(), N = B * T;
        double[] wte = p[0], wpe = p[1];
        double[] x = new double[N * C];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < C; j++) {
                x[n * C + j] = wte[ids[n] * C + j] + wpe[(n % T) * C + j];
            }
        }
        int k = 2;
        for (int l = 0; l < c.nLayer(); l++, k += 12) {
            double[] h = layerNorm(x, p[k], p[k + 1], N, C);
            double[] qkv = linear(h, p[k + 2], p[k + 3], N, C, 3 * C);
            add(x, linear(attention(qkv), p[k + 4], p[k + 5], N, C, C));
            h = layerNorm(x, p[k + 6], p[k + 7], N, C);
            double[] f = linear(h, p[k + 8], p[k + 9], N, C, 4 * C);
            for (int i = 0; i < f.length; i++) { // GELU, tanh approximation
                double u = Math.sqrt(2 / Math.PI) * (f[i] + 0.044715 * f[i] * f[i] * f[i]);
                f[i] = 0.5 * f[i] * (1 + Math.tanh(u));
            }
            add(x, linear(f, p[k + 10], p[k + 11], N, 4 * C, C));
        }
        double[] h = layerNorm(x, p[k], p[k + 1], N, C);
        double[] w = p[k + 2], bias = p[k + 3];
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

    private double[] attention(double[] qkv) {
        int C = c.nEmbd(), NH = c.nHead(), HS = c.headSize();
        double[] y = new double[B * T * C];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < NH; h++) {
                for (int t = 0; t < T; t++) {
                    double[] w = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int s = 0; s <= t; s++) { // causal: s <= t only
                        double dot = 0;
                        for (int i = 0; i < HS; i++) {
                            dot += qkv[(b * T + t) * 3 * C + h * HS + i] * qkv[(b * T + s) * 3 * C + C + h * HS + i];
                        }
                        w[s] = dot / Math.sqrt(HS);
                        max = Math.max(max, w[s]);
                    }
                    for (int s = 0; s <= t; s++) {
                        w[s] = Math.exp(w[s] - max);
                        sum += w[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < HS; i++) {
                            y[(b * T + t) * C + h * HS + i] += w[s] / sum * qkv[(b * T + s) * 3 * C + 2 * C + h * HS + i];
                        }
                    }
                }
            }
        }
        return y;
    }

    private static double[] linear(double[] x, double[] w, double[] bias, int N, int in, int out) {
        double[] y = new double[N * out];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[n * in + i] * w[i * out + o];
                }
                y[n * out + o] = s;
            }
        }
        return y;
    }

    private double[] layerNorm(double[] x, double[] w, double[] bias, int N, int C) {
        double[] y = new double[N * C];
        for (int n = 0; n < N; n++) {
            double mean = 0, var = 0;
            for (int j = 0; j < C; j++) {
                mean += x[n * C + j] / C;
            }
            for (int j = 0; j < C; j++) {
                var += (x[n * C + j] - mean) * (x[n * C + j] - mean) / C;
            }
            double rstd = 1 / Math.sqrt(var + c.layerNormEps());
            for (int j = 0; j < C; j++) {
                y[n * C + j] = (x[n * C + j] - mean) * rstd * w[j] + bias[j];
            }
        }
        return y;
    }

    private static void add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }
}
