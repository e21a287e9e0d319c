package org.rlhf4j.nn;

import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Initial values as GPT-2 (Radford et al. 2019, section 2.3) and nanoGPT: weights drawn from
 * N(0, std^2), biases 0, layer-norm weight 1 and bias 0. Draws come from an explicitly seeded
 * {@link Generator}, in the order the parameters are created.
 */
final class Init {

    private Init() {
    }

    /** A fresh leaf of N(0, std^2) samples. */
    static Tensor normal(Generator gen, float std, int... dims) {
        return Tensor.randn(gen, dims).scale(std).detach();
    }
}
