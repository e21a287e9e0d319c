package org.rlhf4j.nn;

import org.rlhf4j.tensor.Tensor;

/**
 * Layer normalisation over the last axis (Ba, Kiros and Hinton 2016):
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, biased variance. Parameters:
 * {@code weight} (C) = 1 and, when {@code bias}, {@code bias} (C) = 0; without a bias (nanoGPT's
 * {@code bias=False}) a constant zero vector takes its place and is not a parameter.
 */
public final class LayerNorm extends Module {

    public final Tensor weight; // (C)
    public final Tensor bias;   // (C): a parameter, or a constant 0 without bias
    private final float eps;

    public LayerNorm(int C, boolean bias, float eps) {
        this.weight = parameter("weight", Tensor.ones(C));
        this.bias = bias ? parameter("bias", Tensor.zeros(C)) : Tensor.zeros(C);
        this.eps = eps;
    }

    /** x (..., C) -> (..., C). */
    public Tensor forward(Tensor x) {
        return x.layerNorm(weight, bias, eps);
    }
}
