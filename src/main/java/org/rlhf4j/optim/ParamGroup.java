package org.rlhf4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.tensor.Tensor;

/**
 * Parameters that share a weight decay, by name in a fixed order (the order of their optimizer state).
 *
 * @param params      name -> parameter (a leaf that requires grad), iteration order kept
 * @param weightDecay the decoupled decay lambda of this group, >= 0
 */
public record ParamGroup(Map<String, Tensor> params, double weightDecay) {

    public ParamGroup {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite, got " + weightDecay);
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        params.forEach((name, p) -> {
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("params: " + name + " does not require grad");
            }
        });
    }
}
