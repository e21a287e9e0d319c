package org.rlhf4j.nn;

import java.util.function.LongSupplier;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * GPT-2's position-wise feed-forward network (Vaswani et al. 2017, Eq. 2, with GELU for ReLU):
 * {@code y = dropout(c_proj(gelu(c_fc(x))))}, {@code c_fc} (C, 4C), {@code c_proj} (4C, C) with
 * initial weights scaled by {@code 1/sqrt(2 nLayer)}. GELU is GPT-2's tanh form (Hendrycks and
 * Gimpel 2016): {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
 */
public final class Mlp extends Module {

    public final Linear cFc;
    public final Linear cProj;
    private final Dropout dropout;

    public Mlp(GptConfig config, Generator init, LongSupplier dropoutSeeds) {
        int C = config.nEmbd();
        float projStd = (float) (config.initStd() / Math.sqrt(2.0 * config.nLayer()));
        cFc = child("c_fc", new Linear(C, 4 * C, config.bias(), config.initStd(), init));
        cProj = child("c_proj", new Linear(4 * C, C, config.bias(), projStd, init));
        dropout = child("dropout", new Dropout(config.dropout(), dropoutSeeds));
    }

    /** x (B, T, C) -> (B, T, C). */
    public Tensor forward(Tensor x) {
        Tensor h = cFc.forward(x).gelu(); // (B, T, 4C)
        return dropout.forward(cProj.forward(h));
    }
}
