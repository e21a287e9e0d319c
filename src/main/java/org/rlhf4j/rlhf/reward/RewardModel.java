package org.rlhf4j.rlhf.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.ParamGroup;
import org.rlhf4j.optim.ParamGroups;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * A reward model: the GPT trunk ({@link Gpt#hidden}, no language-model head) and a scalar head read at
 * the last real token of each row, as Hugging Face's {@code GPT2ForSequenceClassification} with one label:
 * <pre>
 *   h = ln_f(trunk(ids))              (B, T, C)
 *   r_b = h[b, last_b] · score.weight^T + score.bias        score.weight (1, C), score.bias (1)
 * </pre>
 * Rows are right-padded; causal attention keeps every later position (pads included) out of
 * {@code h[b, last_b]}, so the pad id is irrelevant ({@link #PAD_ID}). The head starts as
 * N(0, 1/(C+1)) (std 1/sqrt(C+1), Stiennon et al. 2020 / lm-human-preferences), its bias 0. Dropout is
 * off: the trunk's config has dropout 0 whatever its checkpoint said.
 *
 * <p>As a {@link RewardSource}, {@link #score} encodes text with the model's tokenizer
 * ({@link RewardEncoder#encodeForScoring}), runs batches of similar length together and returns
 * {@code gain * r + bias}: the normalization ({@link #normalize}) that gives reference-policy samples
 * mean 0 and std 1, stored with the model ({@link RewardCheckpoint}).
 */
public final class RewardModel implements RewardSource {

    public static final String SCORE_WEIGHT = "score.weight";
    public static final String SCORE_BIAS = "score.bias";
    /** The id right padding uses; any id would do (causal attention never looks ahead). */
    public static final int PAD_ID = 0;
    /** Rows per forward pass when scoring text. */
    public static final int SCORE_BATCH = 32;

    /** Right-padded rows: ids (B*T), the index of each row's last real token (B). */
    public record Batch(int[] ids, int[] last, int B, int T) {

        /** Pads {@code rows} on the right with {@link #PAD_ID} to the longest one. */
        public static Batch pad(List<int[]> rows) {
            int B = rows.size(), T = 0;
            for (int[] r : rows) {
                if (r.length == 0) {
                    throw new IllegalArgumentException("an empty row has no last token");
                }
                T = Math.max(T, r.length);
            }
            int[] ids = new int[B * T], last = new int[B];
            Arrays.fill(ids, PAD_ID);
            for (int b = 0; b < B; b++) {
                int[] r = rows.get(b);
                System.arraycopy(r, 0, ids, b * T, r.length);
                last[b] = r.length - 1;
            }
            return new Batch(ids, last, B, T);
        }
    }

    private final Gpt trunk;
    private final Tensor scoreWeight; // (1, C)
    private final Tensor scoreBias;   // (1)
    private final Tokenizer tokenizer;
    private final int maxLength;
    private float gain = 1f;
    private float bias = 0f;

    /**
     * A reward model on {@code trunk} (its config must have dropout 0) with a fresh head drawn from
     * {@code init}; it reads at most {@code maxLength} tokens (capped by the trunk's block size).
     */
    public RewardModel(Gpt trunk, Tokenizer tokenizer, int maxLength, Generator init) {
        this.trunk = Objects.requireNonNull(trunk, "trunk");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        GptConfig c = trunk.config;
        if (c.dropout() != 0f) {
            throw new IllegalArgumentException("a reward model's trunk runs without dropout; build it with "
                    + "config.withDropout(0f), got dropout " + c.dropout());
        }
        if (tokenizer.vocabSize() > c.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " ids, the trunk "
                    + "embeds " + c.vocabSize());
        }
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        this.maxLength = Math.min(maxLength, c.blockSize());
        int C = c.nEmbd();
        // head init N(0, 1/(C+1)) (lm-human-preferences: init_scale / sqrt(n_embd + 1)), bias 0
        this.scoreWeight = Tensor.randn(init, 1, C).scale((float) (1 / Math.sqrt(C + 1))).detach().requiresGrad(true);
        this.scoreBias = Tensor.zeros(1).requiresGrad(true);
        trunk.eval(); // no dropout either way; eval mode says so
    }

    /** A reward model on a fresh trunk: trunk and head drawn from {@code seed}. */
    public static RewardModel fromScratch(GptConfig config, Tokenizer tokenizer, int maxLength, long seed) {
        Generator init = new Generator(seed);
        return new RewardModel(new Gpt(config.withDropout(0f), init), tokenizer, maxLength, init);
    }

    /**
     * Raw rewards r (B) at each row's last real token, recorded on the tape (the loss backpropagates
     * through it into the head and the trunk).
     */
    public Tensor rewards(Batch batch) {
        int B = batch.B(), T = batch.T(), C = trunk.config.nEmbd();
        int[] at = new int[B];
        for (int b = 0; b < B; b++) {
            if (batch.last()[b] < 0 || batch.last()[b] >= T) {
                throw new IllegalArgumentException("row " + b + ": last token " + batch.last()[b] + " outside 0.." + (T - 1));
            }
            at[b] = b * T + batch.last()[b];
        }
        Tensor h = trunk.hidden(batch.ids(), B, T).reshape(B * T, C); // (B*T, C)
        Tensor last = h.embedding(at);                                // (B, C): the last real token of each row
        return last.matmul(scoreWeight, false, true).add(scoreBias).reshape(B); // (B)
    }

    /** Raw rewards (no normalization) of token rows, without gradients. */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public float[] rawRewards(List<int[]> rows) {
        float[] out = new float[rows.size()];
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> rows.get(i).length)); // similar lengths pad little
        try (NoGrad ignored = Autograd.noGrad()) {
            for (int from = 0; from < order.length; from += SCORE_BATCH) {
                int to = Math.min(order.length, from + SCORE_BATCH);
                List<int[]> chunk = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    chunk.add(rows.get(order[i]));
                }
                float[] r = rewards(Batch.pad(chunk)).toArray();
                for (int i = from; i < to; i++) {
                    out[order[i]] = r[i - from];
                }
            }
        }
        return out;
    }

    /** Raw rewards of (prompt, response) pairs, encoded for scoring. */
    public float[] rawScores(List<String> prompts, List<String> responses) {
        RewardSource.checkSizes(prompts, responses);
        RewardEncoder enc = encoder(OverLength.DROP);
        List<int[]> rows = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            try {
                rows.add(enc.encodeForScoring(prompts.get(i), responses.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
            }
        }
        return rawRewards(rows);
    }

    /** Normalized rewards {@code gain * r + bias}. */
    @Override
    public float[] score(List<String> prompts, List<String> responses) {
        float[] r = rawScores(prompts, responses);
        for (int i = 0; i < r.length; i++) {
            r[i] = gain * r[i] + bias;
        }
        return r;
    }

    /**
     * Sets the normalization from reference-policy samples: with mean mu and (population) std sigma of
     * their raw rewards, {@code gain = 1/sigma} (or 1 without {@code scale}) and {@code bias = -gain mu},
     * so that {@link #score} gives them mean 0 (and std 1). Returns {mu, sigma}.
     */
    public double[] normalize(List<String> prompts, List<String> responses, boolean scale) {
        if (prompts.size() < 2) {
            throw new IllegalArgumentException("normalization needs at least 2 reference samples, got " + prompts.size());
        }
        float[] r = rawScores(prompts, responses);
        double mean = 0, var = 0;
        for (float v : r) {
            mean += v;
        }
        mean /= r.length;
        for (float v : r) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / r.length);
        if (scale && !(std > 1e-12)) {
            throw new IllegalArgumentException("the reference samples all score " + mean + "; their std is 0, "
                    + "so no gain can make it 1 (normalize without scaling, or give varied samples)");
        }
        double g = scale ? 1 / std : 1;
        setNormalization((float) g, (float) (-g * mean));
        return new double[] {mean, std};
    }

    /** Sets {@code score = gain * r + bias} directly (a checkpoint's values). */
    public void setNormalization(float gain, float bias) {
        if (!Float.isFinite(gain) || gain <= 0 || !Float.isFinite(bias)) {
            throw new IllegalArgumentException("normalization gain must be positive and finite, bias finite; got "
                    + gain + ", " + bias);
        }
        this.gain = gain;
        this.bias = bias;
    }

    public float gain() {
        return gain;
    }

    public float bias() {
        return bias;
    }

    /** An encoder for this model's tokenizer and length, with the given training policy. */
    public RewardEncoder encoder(OverLength policy) {
        return new RewardEncoder(tokenizer, maxLength, policy);
    }

    /** Trunk parameters (Hugging Face names), then {@code score.weight} and {@code score.bias}. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = trunk.namedParameters();
        out.put(SCORE_WEIGHT, scoreWeight);
        out.put(SCORE_BIAS, scoreBias);
        return out;
    }

    public List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    public long parameterCount() {
        return trunk.parameterCount() + scoreWeight.size() + scoreBias.size();
    }

    /** AdamW groups: the trunk's Linear weights and the score weight decay, nothing else does. */
    public List<ParamGroup> paramGroups(double weightDecay) {
        List<ParamGroup> trunkGroups = ParamGroups.linearWeightsDecay(trunk, weightDecay);
        Map<String, Tensor> decay = new LinkedHashMap<>(trunkGroups.get(0).params());
        Map<String, Tensor> noDecay = new LinkedHashMap<>(trunkGroups.get(1).params());
        decay.put(SCORE_WEIGHT, scoreWeight);
        noDecay.put(SCORE_BIAS, scoreBias);
        return List.of(new ParamGroup(decay, weightDecay), new ParamGroup(noDecay, 0.0));
    }

    public Gpt trunk() {
        return trunk;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The longest prompt + response read, in tokens. */
    public int maxLength() {
        return maxLength;
    }
}
