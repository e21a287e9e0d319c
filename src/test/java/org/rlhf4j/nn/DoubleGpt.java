package org.rlhf4j.nn;

/**
 * GPT-2 written again, independently, in double precision with plain loops from the equations of
 * docs/model.md, for gradient checks: the parameters come as flat arrays in
 * {@link Gpt#namedParameters()} order (a config with biases), row-major, Linear weights (in, out).
 */
public final class DoubleGpt {

    private final GptConfig c;
    private final int B, T;
    private final int[] ids;

    public DoubleGpt(GptConfig config, int[] ids, int B, int T) {
        this.c = config;
        this.ids = ids.clone();
        this.B = B;
        this.T = T;
    }

    /**
     * The trunk's output (B*T*C): the final layer norm over the last block, for the parameters p (the
     * embeddings, 12 arrays per block, then ln_f's weight and bias; arrays after those are ignored).
     */
    public double[] hidden(double[][] p) {
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
            double[] y = attention(qkv);
            add(x, linear(y, p[k + 4], p[k + 5], N, C, C));
            h = layerNorm(x, p[k + 6], p[k + 7], N, C);
            double[] f = linear(h, p[k + 8], p[k + 9], N, C, 4 * C);
            for (int i = 0; i < f.length; i++) {
                double u = Math.sqrt(2 / Math.PI) * (f[i] + 0.044715 * f[i] * f[i] * f[i]);
                f[i] = 0.5 * f[i] * (1 + Math.tanh(u));
            }
            add(x, linear(f, p[k + 10], p[k + 11], N, 4 * C, C));
        }
        return layerNorm(x, p[k], p[k + 1], N, C);
    }

    /** Logits (B*T*V) for the parameters p: the hidden states times the tied token embedding. */
    double[] logits(double[][] p) {
        int C = c.nEmbd(), V = c.vocabSize(), N = B * T;
        double[] wte = p[0];
        double[] h = hidden(p);
        double[] out = new double[N * V];
        for (int n = 0; n < N; n++) {
            for (int v = 0; v < V; v++) {
                double s = 0;
                for (int j = 0; j < C; j++) {
                    s += h[n * C + j] * wte[v * C + j];
                }
                out[n * V + v] = s;
            }
        }
        return out;
    }

    /** Mean cross-entropy of the logits against targets, skipping ignoreIndex. */
    double loss(double[][] p, int[] targets, int ignoreIndex) {
        double[] z = logits(p);
        int V = c.vocabSize();
        double sum = 0;
        int counted = 0;
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] == ignoreIndex) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, z[n * V + v]);
            }
            for (int v = 0; v < V; v++) {
                s += Math.exp(z[n * V + v] - max);
            }
            sum += max + Math.log(s) - z[n * V + targets[n]];
            counted++;
        }
        return sum / counted;
    }

    private double[] attention(double[] qkv) {
        int C = c.nEmbd(), NH = c.nHead(), HS = c.headSize();
        double[] y = new double[B * T * C];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < NH; h++) {
                for (int t = 0; t < T; t++) {
                    double[] w = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int s = 0; s <= t; s++) {
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
