package org.rlhf4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * GPT-2 (Radford et al. 2019) as a language model: token and learned position embeddings, nLayer
 * pre-LN {@link Block}s, a final layer norm, and a head tied to the token embedding:
 * {@code logits = ln_f(h) · wte^T}, computed with the matmul's transpose flag (no copy and no
 * separate {@code lm_head} parameter). Parameters are registered in Hugging Face's order under its
 * names ({@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight}, ...; table in
 * docs/model.md) and initialised from one seeded {@link Generator} in that order. Dropout seeds come
 * from a second generator, seeded from the first after initialisation, replaceable for checkpoints.
 */
public final class Gpt extends Module {

    public final GptConfig config;
    public final Embedding wte;
    public final Embedding wpe;
    private final Dropout drop;
    private final List<Block> blocks = new ArrayList<>();
    public final LayerNorm lnF;
    private Generator dropoutGen;

    public Gpt(GptConfig config, Generator init) {
        this.config = config;
        int C = config.nEmbd();
        wte = child("transformer.wte", new Embedding(config.vocabSize(), C, config.initStd(), init));
        wpe = child("transformer.wpe", new Embedding(config.blockSize(), C, config.initStd(), init));
        drop = child("transformer.drop", new Dropout(config.dropout(), this::nextDropoutSeed));
        for (int l = 0; l < config.nLayer(); l++) {
            blocks.add(child("transformer.h." + l, new Block(config, init, this::nextDropoutSeed)));
        }
        lnF = child("transformer.ln_f", new LayerNorm(C, config.bias(), config.layerNormEps()));
        dropoutGen = new Generator(init.nextLong());
    }

    private long nextDropoutSeed() {
        return dropoutGen.nextLong();
    }

    /** The generator that seeds every dropout mask (its seed and counter are its whole state). */
    public Generator dropoutGenerator() {
        return dropoutGen;
    }

    /** Replaces the dropout generator, e.g. with one restored from a checkpoint. */
    public void setDropoutGenerator(Generator gen) {
        dropoutGen = java.util.Objects.requireNonNull(gen, "gen");
    }

    @Override
    public Gpt train(boolean on) {
        super.train(on);
        return this;
    }

    @Override
    public Gpt eval() {
        return train(false);
    }

    public List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /** ids (B*T, row-major (B, T)) -> logits (B, T, V), recorded on the tape. */
    public Tensor forward(int[] ids, int B, int T) {
        return head(hidden(ids, B, T)); // (B, T, V)
    }

    /**
     * The trunk without the head: ids (B*T, row-major (B, T)) -> the final layer norm's output
     * (B, T, C), which the tied head turns into logits and other heads (a reward model's scalar
     * head) read instead. Recorded on the tape.
     */
    public Tensor hidden(int[] ids, int B, int T) {
        checkIds(ids, B, T, 0);
        Tensor x = embed(ids, B, T, 0); // (B, T, C)
        for (Block block : blocks) {
            x = block.forward(x);
        }
        return lnF.forward(x); // (B, T, C)
    }

    /**
     * The mean cross-entropy of {@link #forward}'s logits against {@code targets} (B*T), skipping
     * positions whose target is {@code ignoreIndex} (rank 0; 0 when every target is ignored).
     */
    public Tensor loss(Tensor logits, int[] targets, int ignoreIndex) {
        int V = config.vocabSize();
        return logits.reshape(logits.size() / V, V).crossEntropy(targets, ignoreIndex);
    }

    /**
     * The value of {@code loss(forward(ids, B, T), targets, ignoreIndex)}, with the head fused into the loss
     * ({@link Tensor#linearCrossEntropy}): the (B, T, V) logits are never a tensor; beyond 2^25 of them training
     * holds one logsumexp per position instead of B·T·V logits and their gradient (the backward recomputes them
     * chunk by chunk), and a device backend keeps them on the device. Gradients equal the unfused pair's up to
     * the order of the embedding gradient's sum.
     */
    public Tensor loss(int[] ids, int[] targets, int B, int T, int ignoreIndex) {
        Tensor h = hidden(ids, B, T); // (B, T, C)
        return h.reshape(B * T, config.nEmbd()).linearCrossEntropy(wte.weight, targets, ignoreIndex);
    }

    /**
     * One generation step: the new tokens ids (B, T) at positions {@code cache.length() ..} pass
     * through every layer, attending to the cached keys and values, which are extended by these
     * tokens. Returns the logits of each row's last new token, (B, V). Runs without gradients.
     *
     * @throws IllegalArgumentException when the cache would pass the block size
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public Tensor forward(int[] ids, int B, int T, KvCache cache) {
        if (cache.batch() != B) {
            throw new IllegalArgumentException("cache holds " + cache.batch() + " sequences, not B = " + B);
        }
        checkIds(ids, B, T, cache.length());
        try (NoGrad ignored = Autograd.noGrad()) {
            Tensor x = embed(ids, B, T, cache.length()); // (B, T, C)
            for (int l = 0; l < blocks.size(); l++) {
                x = blocks.get(l).forward(x, cache, l);
            }
            cache.advance(T);
            Tensor last = x.narrow(1, T - 1, 1).reshape(B, config.nEmbd()); // (B, C)
            return head(lnF.forward(last)); // (B, V)
        }
    }

    /** wte[ids] + wpe[start .. start+T-1], then embedding dropout: (B, T, C). */
    private Tensor embed(int[] ids, int B, int T, int start) {
        int[] pos = new int[T];
        for (int t = 0; t < T; t++) {
            pos[t] = start + t;
        }
        Tensor tok = wte.forward(ids, B, T);    // (B, T, C)
        Tensor position = wpe.forward(pos, T);  // (T, C), broadcast over B
        return drop.forward(tok.add(position)); // (B, T, C)
    }

    /** The tied head: x (..., C) · wte^T (C, V) -> (..., V); the kernel reads wte (V, C) transposed. */
    private Tensor head(Tensor x) {
        return x.matmul(wte.weight, false, true);
    }

    private void checkIds(int[] ids, int B, int T, int start) {
        if (B <= 0 || T <= 0 || ids.length != B * T) {
            throw new IllegalArgumentException("expected B*T = " + B + "*" + T + " ids, got " + ids.length);
        }
        if (start + T > config.blockSize()) {
            throw new IllegalArgumentException("positions " + start + " .. " + (start + T - 1)
                    + " pass the block size " + config.blockSize());
        }
    }
}
