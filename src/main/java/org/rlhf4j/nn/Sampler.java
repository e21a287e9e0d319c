package org.rlhf4j.nn;

import java.util.Arrays;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * Autoregressive generation from a {@link Gpt}: 1. run the prompt (its last blockSize tokens) once,
 * filling a {@link KvCache}; 2. pick the next token from the last logits ({@link #probabilities});
 * 3. feed only that token, one single-token step, until maxNewTokens or EOS. When the cache is full
 * (the context reached the block size) each further step runs the window of the last blockSize
 * tokens afresh, exactly what a cache-free model sees (nanoGPT crops its context the same way).
 * Without the cache, every step runs the whole window. The model is put in evaluation mode for the
 * duration and restored after.
 */
public final class Sampler {

    private Sampler() {
    }

    /** The generated tokens (not including the prompt, which must not be empty). */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public static int[] generate(Gpt model, int[] prompt, SamplingConfig cfg) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt must hold at least one token");
        }
        int blockSize = model.config.blockSize(), V = model.config.vocabSize();
        boolean wasTraining = model.isTraining();
        model.eval();
        Generator gen = new Generator(cfg.seed());
        int[] tokens = Arrays.copyOf(prompt, prompt.length + cfg.maxNewTokens());
        int n = prompt.length;
        KvCache cache = cfg.useCache() ? new KvCache(model.config, 1) : null;
        try (NoGrad ignored = Autograd.noGrad()) {
            float[] logits = cfg.maxNewTokens() == 0 ? null : nextLogits(model, tokens, n, cache, true);
            for (int i = 0; i < cfg.maxNewTokens(); i++) {
                int next = pick(logits, V, cfg, gen);
                tokens[n++] = next;
                if (next == cfg.eosId() || i == cfg.maxNewTokens() - 1) {
                    break;
                }
                boolean refill = cache != null && cache.length() == blockSize;
                logits = nextLogits(model, tokens, n, cache, refill);
            }
        } finally {
            model.train(wasTraining);
        }
        return Arrays.copyOfRange(tokens, prompt.length, n);
    }

    /** The logits (V) after tokens[0 .. n): a cached step on the newest token, or a fresh window. */
    private static float[] nextLogits(Gpt model, int[] tokens, int n, KvCache cache, boolean fresh) {
        int window = Math.min(n, model.config.blockSize());
        int[] ctx = Arrays.copyOfRange(tokens, n - window, n);
        if (cache == null) {
            Tensor logits = model.forward(ctx, 1, window);       // (1, window, V)
            return logits.narrow(1, window - 1, 1).toArray();    // (V)
        }
        if (fresh) {
            cache.clear();
            return model.forward(ctx, 1, window, cache).toArray(); // (1, V)
        }
        return model.forward(new int[] {tokens[n - 1]}, 1, 1, cache).toArray();
    }

    /** The next token: the argmax at temperature 0, else a draw from {@link #probabilities}. */
    static int pick(float[] logits, int V, SamplingConfig cfg, Generator gen) {
        if (cfg.temperature() == 0f) {
            int best = 0;
            for (int v = 1; v < V; v++) {
                best = logits[v] > logits[best] ? v : best;
            }
            return best;
        }
        double[] p = probabilities(logits, cfg.temperature(), cfg.topK(), cfg.topP());
        double u = gen.nextUniform(), cumulative = 0;
        int last = 0;
        for (int v = 0; v < V; v++) {
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

    /**
     * The sampling distribution over the vocabulary: {@code softmax(logits / temperature)} restricted
     * to the top-k tokens (topK > 0) and then to the nucleus of mass topP, renormalised; tokens
     * outside the candidate set have probability 0. Temperature must be positive here.
     */
    public static double[] probabilities(float[] logits, float temperature, int topK, float topP) {
        int V = logits.length;
        double[] z = new double[V];
        for (int v = 0; v < V; v++) {
            z[v] = logits[v] / (double) temperature;
        }
        if (topK > 0 && topK < V) { // keep logits >= the k-th largest
            double[] sorted = z.clone();
            Arrays.sort(sorted);
            double kth = sorted[V - topK];
            for (int v = 0; v < V; v++) {
                z[v] = z[v] >= kth ? z[v] : Double.NEGATIVE_INFINITY;
            }
        }
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double x : z) {
            max = Math.max(max, x);
        }
        double[] p = new double[V];
        for (int v = 0; v < V; v++) {
            p[v] = Math.exp(z[v] - max);
            sum += p[v];
        }
        for (int v = 0; v < V; v++) {
            p[v] /= sum;
        }
        if (topP < 1f) { // Holtzman et al. 2020: the smallest most-likely set with mass >= topP
            Integer[] order = new Integer[V];
            for (int v = 0; v < V; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            double mass = 0;
            int keep = 0;
            while (keep < V && mass < topP) {
                mass += p[order[keep++]];
            }
            for (int i = keep; i < V; i++) {
                p[order[i]] = 0;
            }
            for (int v = 0; v < V; v++) {
                p[v] /= mass;
            }
        }
        return p;
    }
}
