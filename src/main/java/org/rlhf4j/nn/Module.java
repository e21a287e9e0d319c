package org.rlhf4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.tensor.Tensor;

/**
 * A layer or model: parameters and child modules, each registered under a name, in registration
 * order, as in {@code torch.nn.Module}. The full name of a parameter joins the names on its path with
 * dots ({@code transformer.h.0.attn.c_attn.weight}), so a model whose modules are registered in
 * GPT-2's order and under GPT-2's names lists its parameters exactly as a Hugging Face state dict.
 * A module starts in training mode; {@link #train(boolean)} sets the mode of the whole tree.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers {@code value} (a leaf) as a trainable parameter called {@code name}; returns it. */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers {@code child} under {@code name}; returns it. */
    protected final <M extends Module> M child(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module " + getClass().getSimpleName() + ": name '" + name
                    + "' is empty or already registered");
        }
    }

    /** Every parameter of this module and its descendants by full name, in registration order. */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, c) -> c.collect(prefix + name + ".", out));
    }

    /** This module (named "") and every descendant by full name, parents before children. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        children.forEach((n, c) -> c.collectModules(name.isEmpty() ? n : name + "." + n, out));
    }

    /** The parameters in registration order. */
    public final List<Tensor> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(namedParameters().values()));
    }

    /** The parameters registered directly on this module (not its children), by local name. */
    public final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    /** Sets training mode (dropout active) on this module and every descendant; returns this. */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    /** Evaluation mode: {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient (before the next accumulation). */
    public final void zeroGrad() {
        namedParameters().values().forEach(Tensor::zeroGrad);
    }
}
