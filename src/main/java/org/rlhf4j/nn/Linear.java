package org.rlhf4j.nn;

import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * {@code y = x · W + b} with W stored (in, out): GPT-2's Conv1D orientation, the transpose of
 * {@code torch.nn.Linear}'s. Hugging Face's GPT-2 stores {@code c_attn.weight} as (768, 2304) in
 * this orientation, so its tensors load one-to-one by name and shape, and the forward pass is a
 * plain matrix product with no transpose. Parameters: {@code weight} (in, out) ~ N(0, std^2) and,
 * when {@code bias}, {@code bias} (out) = 0.
 */
public final class Linear extends Module {

    public final int in;
    public final int out;
    public final Tensor weight; // (in, out)
    public final Tensor bias;   // (out), or null without bias

    public Linear(int in, int out, boolean bias, float std, Generator gen) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", Init.normal(gen, std, in, out));
        this.bias = bias ? parameter("bias", Tensor.zeros(out)) : null;
    }

    /** x (..., in) -> (..., out). */
    public Tensor forward(Tensor x) {
        Tensor y = x.matmul(weight); // (..., out): the 2-D weight is shared by every leading index
        return bias == null ? y : y.add(bias);
    }
}
