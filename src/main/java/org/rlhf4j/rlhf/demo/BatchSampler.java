package org.rlhf4j.rlhf.demo;

import java.util.Arrays;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.KvCache;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.tensor.Generator;

/**
 * n samples of one prompt at once: the prompt is repeated n times, so every row has the same length and
 * one (n, T) forward pass with a {@link KvCache} of batch n serves them all, then one (n, 1) step per
 * new token. Each token is drawn from {@link Sampler#probabilities} (temperature, no top-k or top-p) with
 * one uniform draw per row from the given generator, rows in order, so two models given generators with
 * equal seeds use the same random numbers (a paired comparison). No stop token: every sample is
 * {@code maxNewTokens} long. The model is put in evaluation mode and restored after.
 */
public final class BatchSampler {

    private BatchSampler() {
    }

    /**
     * {@code n} continuations of {@code prompt}, each {@code maxNewTokens} tokens (n, maxNewTokens).
     *
     * @throws IllegalArgumentException when prompt + maxNewTokens passes the model's block size
     */
    public static int[][] sample(Gpt model, int[] prompt, int n, int maxNewTokens, float temperature, Generator g) {
        int T = prompt.length, V = model.config.vocabSize();
        if (T == 0 || T + maxNewTokens > model.config.blockSize()) {
            throw new IllegalArgumentException("a prompt of " + T + " tokens plus " + maxNewTokens
                    + " new ones must fit the model's block size " + model.config.blockSize());
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        int[][] out = new int[n][maxNewTokens];
        try {
            KvCache cache = new KvCache(model.config, n);
            int[] ids = new int[n * T];
            for (int b = 0; b < n; b++) {
                System.arraycopy(prompt, 0, ids, b * T, T);
            }
            float[] logits = model.forward(ids, n, T, cache).toArray(); // (n, V)
            for (int t = 0; t < maxNewTokens; t++) {
                int[] next = new int[n];
                for (int b = 0; b < n; b++) {
                    next[b] = draw(Arrays.copyOfRange(logits, b * V, (b + 1) * V), temperature, g);
                    out[b][t] = next[b];
                }
                if (t + 1 < maxNewTokens) {
                    logits = model.forward(next, n, 1, cache).toArray(); // (n, V)
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    private static int draw(float[] logits, float temperature, Generator g) {
        double[] p = Sampler.probabilities(logits, temperature, 0, 1f);
        double u = g.nextUniform(), cumulative = 0;
        int last = 0;
        for (int v = 0; v < p.length; v++) {
            if (p[v] > 0) {
                cumulative += p[v];
                last = v;
                if (u < cumulative) {
                    return v;
                }
            }
        }
        return last; // u beyond the rounded total
    }
}
