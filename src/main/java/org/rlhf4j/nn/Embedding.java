package org.rlhf4j.nn;

import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * A lookup table: row {@code id} of {@code weight} (num, dim) ~ N(0, std^2). GPT-2's {@code wte}
 * (token) and {@code wpe} (position) embeddings.
 */
public final class Embedding extends Module {

    public final Tensor weight; // (num, dim)

    public Embedding(int num, int dim, float std, Generator gen) {
        this.weight = parameter("weight", Init.normal(gen, std, num, dim));
    }

    /** ids laid out as idsDims -> (idsDims..., dim). */
    public Tensor forward(int[] ids, int... idsDims) {
        return weight.embedding(ids, idsDims);
    }
}
