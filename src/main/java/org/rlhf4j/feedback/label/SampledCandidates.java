package org.rlhf4j.feedback.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.nn.SamplingConfig;

/**
 * Candidates sampled from a language model with {@link Sampler}. Draw j of a prompt uses the seed
 * {@code mix(seed, prompt, j)}, so the same prompt, checkpoint and settings give the same candidates in
 * every session (a resumed session shows what the first would have). Draws go on until {@code k} distinct
 * non-blank completions are found or {@code 3k} draws are spent; the end-of-text token is not part of the
 * text. Not thread-safe ({@link LabelSession} calls it under its lock).
 */
public final class SampledCandidates implements CandidateSource {

    private final Gpt model;
    private final Tokenizer tokenizer;
    private final SamplingConfig config;

    /**
     * @param config how to sample; its seed is the base of every draw's seed, and its EOS id (when it has
     *               none, the tokenizer's end-of-text id) ends a completion
     */
    public SampledCandidates(Gpt model, Tokenizer tokenizer, SamplingConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config.eosId() >= 0 ? config : config.withEosId(tokenizer.eotId().orElse(-1));
    }

    @Override
    public List<String> candidates(String prompt, int k) {
        int[] ids;
        try {
            ids = tokenizer.encode(prompt);
        } catch (IllegalArgumentException e) {
            return List.of(); // text the tokenizer cannot encode: the session passes the prompt over
        }
        if (ids.length == 0) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        for (int j = 0; j < 3 * k && found.size() < k; j++) {
            int[] out = Sampler.generate(model, ids, config.withSeed(seed(config.seed(), prompt, j)));
            if (out.length > 0 && out[out.length - 1] == config.eosId()) {
                out = Arrays.copyOf(out, out.length - 1);
            }
            String text = tokenizer.decode(out);
            if (!text.isBlank()) {
                found.add(text);
            }
        }
        return new ArrayList<>(found);
    }

    /** A seed for draw {@code j} of {@code prompt}: SplitMix64's finaliser over base, prompt hash and j. */
    static long seed(long base, String prompt, int j) {
        long z = base + 0x9E3779B97F4A7C15L * (((long) prompt.hashCode() << 20) + j + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
