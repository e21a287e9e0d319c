package org.rlhf4j.nn;

import java.util.function.LongSupplier;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * A pre-LN transformer block, as GPT-2 (Radford et al. 2019, section 2.3 moves layer norm to each
 * sub-block's input): {@code x = x + attn(ln_1(x))}, then {@code x = x + mlp(ln_2(x))}.
 */
public final class Block extends Module {

    public final LayerNorm ln1;
    public final CausalSelfAttention attn;
    public final LayerNorm ln2;
    public final Mlp mlp;

    public Block(GptConfig config, Generator init, LongSupplier dropoutSeeds) {
        ln1 = child("ln_1", new LayerNorm(config.nEmbd(), config.bias(), config.layerNormEps()));
        attn = child("attn", new CausalSelfAttention(config, init, dropoutSeeds));
        ln2 = child("ln_2", new LayerNorm(config.nEmbd(), config.bias(), config.layerNormEps()));
        mlp = child("mlp", new Mlp(config, init, dropoutSeeds));
    }

    /** x (B, T, C) -> (B, T, C). */
    public Tensor forward(Tensor x) {
        x = x.add(attn.forward(ln1.forward(x)));
        return x.add(mlp.forward(ln2.forward(x)));
    }

    /** The same for new tokens, attending over layer {@code layer} of the cache (no grad). */
    Tensor forward(Tensor x, KvCache cache, int layer) {
        x = x.add(attn.forward(ln1.forward(x), cache, layer));
        return x.add(mlp.forward(ln2.forward(x)));
    }
}
