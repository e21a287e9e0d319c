package org.rlhf4j.nn;

/**
 * The shape of a GPT-2 model, validated on construction (a bad value names its field).
 *
 * @param vocabSize    V, the number of token ids. GPT-2: 50257 (Radford et al. 2019); char-level: the
 *                     tokenizer's alphabet (65 for tinyshakespeare, nanoGPT's shakespeare_char).
 * @param blockSize    the longest context, the number of learned positions ({@code n_positions}).
 *                     GPT-2: 1024; nanoGPT's CPU recipe: 64.
 * @param nLayer       the number of transformer blocks. GPT-2 small: 12; CPU recipe: 4.
 * @param nHead        NH, attention heads per block. GPT-2 small: 12; CPU recipe: 4.
 * @param nEmbd        C, the width of the residual stream; must be a multiple of nHead (HS = C / NH).
 *                     GPT-2 small: 768; CPU recipe: 128.
 * @param dropout      the probability of the embedding, attention and residual dropouts, in [0, 1).
 *                     nanoGPT's CPU recipe: 0; Hugging Face GPT-2 trains with 0.1.
 * @param bias         whether Linear and LayerNorm layers have biases. GPT-2: true; nanoGPT's train.py
 *                     default (and so its CPU recipe): false.
 * @param layerNormEps eps of every layer norm. GPT-2 ({@code layer_norm_epsilon}): 1e-5.
 * @param initStd      the standard deviation of the initial weights. GPT-2 ({@code initializer_range}):
 *                     0.02; the residual projections use {@code initStd / sqrt(2 nLayer)}.
 */
public record GptConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, float dropout,
                        boolean bias, float layerNormEps, float initStd) {

    public GptConfig {
        positive("vocabSize", vocabSize);
        positive("blockSize", blockSize);
        positive("nLayer", nLayer);
        positive("nHead", nHead);
        positive("nEmbd", nEmbd);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("nEmbd must be a multiple of nHead, got nEmbd " + nEmbd
                    + " and nHead " + nHead);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(layerNormEps > 0f) || Float.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("layerNormEps must be positive and finite, got " + layerNormEps);
        }
        if (!(initStd >= 0f) || Float.isInfinite(initStd)) {
            throw new IllegalArgumentException("initStd must be >= 0 and finite, got " + initStd);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /**
     * nanoGPT's shakespeare-char recipe for CPU (its README): 4 layers, 4 heads, n_embd 128,
     * block_size 64, dropout 0, no biases; vocabulary 65 (tinyshakespeare's characters; set it from
     * the tokenizer with {@link #withVocabSize}).
     */
    public static GptConfig baby() {
        return new GptConfig(65, 64, 4, 4, 128, 0f, false, 1e-5f, 0.02f);
    }

    /** GPT-2 small, 124M parameters (Radford et al. 2019; Hugging Face {@code gpt2}), dropout 0. */
    public static GptConfig gpt2() {
        return new GptConfig(50257, 1024, 12, 12, 768, 0f, true, 1e-5f, 0.02f);
    }

    /** HS = C / NH. */
    public int headSize() {
        return nEmbd / nHead;
    }

    public GptConfig withVocabSize(int v) {
        return new GptConfig(v, blockSize, nLayer, nHead, nEmbd, dropout, bias, layerNormEps, initStd);
    }

    public GptConfig withBlockSize(int v) {
        return new GptConfig(vocabSize, v, nLayer, nHead, nEmbd, dropout, bias, layerNormEps, initStd);
    }

    public GptConfig withNLayer(int v) {
        return new GptConfig(vocabSize, blockSize, v, nHead, nEmbd, dropout, bias, layerNormEps, initStd);
    }

    public GptConfig withNHead(int v) {
        return new GptConfig(vocabSize, blockSize, nLayer, v, nEmbd, dropout, bias, layerNormEps, initStd);
    }

    public GptConfig withNEmbd(int v) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, v, dropout, bias, layerNormEps, initStd);
    }

    public GptConfig withDropout(float v) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, v, bias, layerNormEps, initStd);
    }

    public GptConfig withBias(boolean v) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, v, layerNormEps, initStd);
    }

    public GptConfig withLayerNormEps(float v) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, v, initStd);
    }

    public GptConfig withInitStd(float v) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, layerNormEps, v);
    }
}
