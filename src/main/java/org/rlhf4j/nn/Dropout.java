package org.rlhf4j.nn;

import java.util.function.LongSupplier;
import org.rlhf4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014) with probability p in training mode, the identity in
 * evaluation mode or when p = 0. Each active call draws the mask's seed from a shared source, the
 * model's explicitly seeded {@link org.rlhf4j.tensor.Generator} (so an inactive dropout never advances
 * it, and a run is reproducible from the generator's state). No parameters.
 */
public final class Dropout extends Module {

    private final float p;
    private final LongSupplier seeds;

    public Dropout(float p, LongSupplier seeds) {
        this.p = p;
        this.seeds = seeds;
    }

    /** Whether {@link #forward} changes its input: training mode and p > 0. */
    public boolean isActive() {
        return isTraining() && p != 0f;
    }

    public Tensor forward(Tensor x) {
        if (!isActive()) {
            return x;
        }
        return x.dropout(p, seeds.getAsLong(), true);
    }
}
