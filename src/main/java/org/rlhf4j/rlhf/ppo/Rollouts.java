package org.rlhf4j.rlhf.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.KvCache;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * The token-level pieces of a PPO iteration: batched sampling with a KV cache, and the per-token log-probs
 * and values of right-padded prompt + response rows. Layout: row b is its prompt (P_b tokens) followed by
 * its response (L_b real tokens); response arrays are (B, R) with R = the most new tokens, padding after L_b.
 * Response token j of row b is predicted at position P_b - 1 + j, which is where its log-prob and the value
 * of the state before it are read. The model sees right padding as the caller's pad id (PpoTrainer's is
 * 0, a real vocabulary id); causal attention keeps it out of every real position, and the masks (built
 * from the lengths, never from token ids) keep it out of every sum, so which id it is cannot matter
 * (PpoPaddingTest).
 */
final class Rollouts {

    private Rollouts() {
    }

    /** Sampling settings of one generation. */
    record Sampling(int maxNewTokens, float temperature, int topK, float topP, int stopId, boolean greedy) {
    }

    /**
     * Generates up to maxNewTokens tokens after each prompt. Rows with prompts of equal length run together
     * (one KV cache per group, groups by increasing length, rows in index order); a row stops after its stop
     * token. Draws come from {@code gen} in that order, one per unfinished row and step. The model runs in
     * evaluation mode (no dropout) without gradients; its mode is restored after.
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    static int[][] generate(Gpt model, int[][] prompts, Sampling s, Generator gen) {
        int V = model.config.vocabSize();
        int[][] out = new int[prompts.length][];
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < prompts.length; i++) {
            if (prompts[i].length == 0 || prompts[i].length + s.maxNewTokens() > model.config.blockSize()) {
                throw new IllegalArgumentException("prompt " + i + " has " + prompts[i].length + " tokens; it needs 1 .. "
                        + (model.config.blockSize() - s.maxNewTokens()) + " to leave room for " + s.maxNewTokens()
                        + " new tokens in the block size " + model.config.blockSize());
            }
            groups.computeIfAbsent(prompts[i].length, k -> new ArrayList<>()).add(i);
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = Autograd.noGrad()) {
            for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
                int P = g.getKey(), B = g.getValue().size();
                int[] ids = new int[B * P];
                for (int b = 0; b < B; b++) {
                    System.arraycopy(prompts[g.getValue().get(b)], 0, ids, b * P, P);
                }
                KvCache cache = new KvCache(model.config, B);
                float[] logits = model.forward(ids, B, P, cache).toArray(); // (B, V)
                int[][] tokens = new int[B][s.maxNewTokens()];
                int[] n = new int[B];
                boolean[] done = new boolean[B];
                for (int step = 0; step < s.maxNewTokens(); step++) {
                    int[] next = new int[B];
                    int live = 0;
                    for (int b = 0; b < B; b++) {
                        if (done[b]) {
                            next[b] = tokens[b][n[b] - 1]; // fed but never read
                            continue;
                        }
                        float[] row = Arrays.copyOfRange(logits, b * V, (b + 1) * V);
                        int t = s.greedy() ? argmax(row) : draw(row, s, gen);
                        tokens[b][n[b]++] = t;
                        next[b] = t;
                        done[b] = t == s.stopId();
                        live += done[b] ? 0 : 1;
                    }
                    if (live == 0 || step == s.maxNewTokens() - 1) {
                        break;
                    }
                    logits = model.forward(next, B, 1, cache).toArray(); // (B, V)
                }
                for (int b = 0; b < B; b++) {
                    out[g.getValue().get(b)] = Arrays.copyOf(tokens[b], n[b]);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) {
            best = row[v] > row[best] ? v : best;
        }
        return best;
    }

    /** A draw from softmax(logits / temperature), filtered by top-k / top-p ({@link Sampler#probabilities}). */
    private static int draw(float[] logits, Sampling s, Generator gen) {
        double[] p = Sampler.probabilities(logits, s.temperature(), s.topK(), s.topP());
        double u = gen.nextUniform(), cumulative = 0;
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

    /**
     * The model inputs of {@code rows}: prompt + response without its last token (nothing is predicted after
     * it), right-padded with {@code pad} to T = the longest. Returns {ids (B*T), T}.
     */
    static Object[] inputs(int[][] prompts, int[][] responses, int[] rows, int pad) {
        int T = 1;
        for (int r : rows) {
            T = Math.max(T, prompts[r].length + responses[r].length - 1);
        }
        int[] ids = new int[rows.length * T];
        Arrays.fill(ids, pad);
        for (int b = 0; b < rows.length; b++) {
            int[] p = prompts[rows[b]], y = responses[rows[b]];
            System.arraycopy(p, 0, ids, b * T, p.length);
            System.arraycopy(y, 0, ids, b * T + p.length, Math.max(0, y.length - 1));
        }
        return new Object[] {ids, T};
    }

    /**
     * Per-token log-probs under {@code logits / temperature} of each row's response tokens: (B, R), recorded
     * on the tape when gradients are on. Padding positions hold the log-prob of an arbitrary entry (they are
     * masked). When {@code entropy} is not null, it receives the entropy of softmax(logits / temperature) at
     * each response position (B*R; 0 on padding).
     */
    static Tensor logProbs(Gpt model, int[][] prompts, int[][] responses, int[] rows, int R, int pad,
                           float temperature, float[] entropy) {
        Object[] in = inputs(prompts, responses, rows, pad);
        int[] ids = (int[]) in[0];
        int B = rows.length, T = (int) in[1], V = model.config.vocabSize();
        Tensor logits = model.forward(ids, B, T).reshape(B * T, V);           // (B*T, V)
        Tensor logp = logits.scale(1f / temperature).logSoftmax();           // (B*T, V) under logits / temperature
        int[] at = new int[B * R];
        for (int b = 0; b < B; b++) {
            int[] p = prompts[rows[b]], y = responses[rows[b]];
            for (int j = 0; j < y.length; j++) {
                int pos = b * T + p.length - 1 + j;                            // predicts response token j
                at[b * R + j] = pos * V + y[j];
                if (entropy != null) {
                    entropy[b * R + j] = entropyAt(logp, pos, V);
                }
            }
        }
        return logp.reshape(B * T * V, 1).embedding(at).reshape(B, R);       // gather: (B, R)
    }

    /** -sum_v p_v log p_v of row {@code pos} of a log-softmax (B*T, V). */
    private static float entropyAt(Tensor logp, int pos, int V) {
        float[] d = logp.data();
        int o = logp.offset() + pos * V;
        double h = 0;
        for (int v = 0; v < V; v++) {
            double lp = d[o + v];
            h -= Math.exp(lp) * lp;
        }
        return (float) h;
    }

    /**
     * The value model's estimate of the state before each response token: (B, R), recorded on the tape when
     * gradients are on. The scalar head is applied to the trunk's output at each position.
     */
    static Tensor values(RewardModel valueModel, int[][] prompts, int[][] responses, int[] rows, int R, int pad) {
        Object[] in = inputs(prompts, responses, rows, pad);
        int[] ids = (int[]) in[0];
        int B = rows.length, T = (int) in[1], C = valueModel.trunk().config.nEmbd();
        Tensor h = valueModel.trunk().hidden(ids, B, T).reshape(B * T, C);   // (B*T, C)
        int[] at = new int[B * R];
        for (int b = 0; b < B; b++) {
            int[] p = prompts[rows[b]], y = responses[rows[b]];
            for (int j = 0; j < y.length; j++) {
                at[b * R + j] = b * T + p.length - 1 + j;
            }
        }
        Tensor w = valueModel.namedParameters().get(RewardModel.SCORE_WEIGHT); // (1, C)
        Tensor bias = valueModel.namedParameters().get(RewardModel.SCORE_BIAS); // (1)
        return h.embedding(at).matmul(w, false, true).add(bias).reshape(B, R); // (B, R)
    }
}
