package org.rlhf4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.nn.Linear;
import org.rlhf4j.nn.Module;
import org.rlhf4j.tensor.Tensor;

/**
 * The usual split into a decayed and an undecayed group. Only the weights of {@link Linear} layers
 * decay; biases, layer-norm weights and embeddings do not. nanoGPT decays every parameter with two
 * or more dimensions, which includes the token and position embeddings (and so the tied head); the
 * GPT-2-era practice this project follows (and issue 3 asks for) exempts embeddings too, as
 * minGPT's {@code configure_optimizers} does.
 */
public final class ParamGroups {

    private ParamGroups() {
    }

    /** [decayed Linear weights with {@code weightDecay}, everything else with 0], in registration order. */
    public static List<ParamGroup> linearWeightsDecay(Module model, double weightDecay) {
        Map<String, Tensor> decay = new LinkedHashMap<>(), noDecay = new LinkedHashMap<>();
        java.util.Set<Tensor> linearWeights = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Module m : model.namedModules().values()) {
            if (m instanceof Linear linear) {
                linearWeights.add(linear.weight);
            }
        }
        model.namedParameters().forEach((name, p) -> (linearWeights.contains(p) ? decay : noDecay).put(name, p));
        return List.of(new ParamGroup(decay, weightDecay), new ParamGroup(noDecay, 0.0));
    }
}
