package org.rlhf4j.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What a checkpoint holds, in neutral terms the model, optimizer and trainer packages can fill.
 *
 * @param weights the model's parameters, by their Hugging Face names (model.safetensors)
 * @param config the model config as JSON (config.json), e.g. GPT-2's {@code n_embd, n_layer, ...}
 * @param tokenizer the tokenizer as JSON (tokenizer.json), or null when there is none
 * @param optimizer optimizer tensors (optimizer.safetensors), named {@code <param>.exp_avg} and
 *     {@code <param>.exp_avg_sq} for AdamW's moments ({@link #expAvg}, {@link #expAvgSq}); empty: no file
 * @param state everything else needed to resume (state.json): step, RNG states, data position,
 *     scheduler, ... as one JSON object
 */
public record CheckpointData(List<NamedTensor> weights, ObjectNode config, ObjectNode tokenizer,
                             List<NamedTensor> optimizer, ObjectNode state) {

    public CheckpointData {
        weights = List.copyOf(Objects.requireNonNull(weights, "weights"));
        Objects.requireNonNull(config, "config");
        optimizer = List.copyOf(Objects.requireNonNull(optimizer, "optimizer (use List.of() for none)"));
        Objects.requireNonNull(state, "state");
    }

    /** The name of AdamW's first moment of parameter {@code param}. */
    public static String expAvg(String param) {
        return param + ".exp_avg";
    }

    /** The name of AdamW's second moment of parameter {@code param}. */
    public static String expAvgSq(String param) {
        return param + ".exp_avg_sq";
    }

    /** The weight called {@code name}, or null. */
    public NamedTensor weight(String name) {
        return find(weights, name);
    }

    /** The optimizer tensor called {@code name}, or null. */
    public NamedTensor optimizerTensor(String name) {
        return find(optimizer, name);
    }

    private static NamedTensor find(List<NamedTensor> list, String name) {
        for (NamedTensor t : list) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
