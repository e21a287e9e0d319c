package org.rlhf4j.nn;

/**
 * How {@link Sampler} picks tokens, validated on construction.
 *
 * @param maxNewTokens the most tokens to generate (>= 0). Default 100.
 * @param temperature  logits are divided by it before the softmax; 0 means greedy (argmax), which
 *                     ignores topK, topP and the seed. Default 1.
 * @param topK         keep only the k most likely tokens (ties with the k-th kept), 0 for all
 *                     (Fan et al. 2018; nanoGPT's sample.py). Default 0.
 * @param topP         nucleus sampling (Holtzman et al. 2020): keep the smallest set of most likely
 *                     tokens whose probabilities sum to at least topP, in (0, 1]; 1 keeps all. Default 1.
 * @param eosId        stop after generating this token (it is included), or -1 for none. Default -1.
 * @param seed         the seed of the sampling generator: equal seeds give equal samples. Default 0.
 * @param useCache     generate with a {@link KvCache} (one single-token step per token) instead of a
 *                     full forward pass over the context per token. Default true.
 */
public record SamplingConfig(int maxNewTokens, float temperature, int topK, float topP, int eosId, long seed,
                             boolean useCache) {

    public SamplingConfig {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 and finite, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (eosId < -1) {
            throw new IllegalArgumentException("eosId must be a token id or -1 for none, got " + eosId);
        }
    }

    /** 100 tokens at temperature 1, no top-k or top-p, no EOS, seed 0, with the cache. */
    public static SamplingConfig defaults() {
        return new SamplingConfig(100, 1f, 0, 1f, -1, 0L, true);
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens. */
    public static SamplingConfig greedy(int maxNewTokens) {
        return defaults().withMaxNewTokens(maxNewTokens).withTemperature(0f);
    }

    public SamplingConfig withMaxNewTokens(int v) {
        return new SamplingConfig(v, temperature, topK, topP, eosId, seed, useCache);
    }

    public SamplingConfig withTemperature(float v) {
        return new SamplingConfig(maxNewTokens, v, topK, topP, eosId, seed, useCache);
    }

    public SamplingConfig withTopK(int v) {
        return new SamplingConfig(maxNewTokens, temperature, v, topP, eosId, seed, useCache);
    }

    public SamplingConfig withTopP(float v) {
        return new SamplingConfig(maxNewTokens, temperature, topK, v, eosId, seed, useCache);
    }

    public SamplingConfig withEosId(int v) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, v, seed, useCache);
    }

    public SamplingConfig withSeed(long v) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, eosId, v, useCache);
    }

    public SamplingConfig withUseCache(boolean v) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, eosId, seed, v);
    }
}
