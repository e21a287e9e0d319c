package org.rlhf4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The fields of a Hugging Face GPT-2 {@code config.json} that shape the model, read into a neutral
 * record for the nn package to map onto its own config. A missing key takes the default of
 * transformers' {@code GPT2Config} (the 124M model), as transformers itself does; a key of the wrong
 * type or out of range is a {@link CheckpointException.BadConfig}. Everything else in the file (dropout
 * rates, task parameters, ...) stays available in {@code raw}.
 *
 * @param nEmbd n_embd, the residual width C (default 768)
 * @param nLayer n_layer, the number of blocks (default 12)
 * @param nHead n_head, attention heads NH, dividing nEmbd (default 12)
 * @param nPositions n_positions, the longest context (default 1024)
 * @param vocabSize vocab_size, V (default 50257)
 * @param nInner n_inner, the MLP width (null in the file means 4 * nEmbd)
 * @param layerNormEpsilon layer_norm_epsilon (default 1e-5)
 * @param activationFunction activation_function (default "gelu_new", the tanh approximation)
 * @param raw the whole file
 */
public record HfGpt2Config(int nEmbd, int nLayer, int nHead, int nPositions, int vocabSize, int nInner,
                           double layerNormEpsilon, String activationFunction, ObjectNode raw) {

    /** Reads and checks {@code configJson}. */
    public static HfGpt2Config read(Path configJson) throws IOException {
        return from(Json.readObject(configJson), configJson.toString());
    }

    /** Checks a parsed config; {@code where} names its source in messages. */
    public static HfGpt2Config from(ObjectNode json, String where) throws CheckpointException {
        int nEmbd = positiveInt(json, where, "n_embd", 768);
        int nLayer = positiveInt(json, where, "n_layer", 12);
        int nHead = positiveInt(json, where, "n_head", 12);
        int nPositions = positiveInt(json, where, "n_positions", 1024);
        int vocabSize = positiveInt(json, where, "vocab_size", 50257);
        JsonNode inner = json.get("n_inner");
        int nInner = inner == null || inner.isNull() ? 4 * nEmbd : positiveInt(json, where, "n_inner", 0);
        JsonNode eps = json.get("layer_norm_epsilon");
        double epsilon = 1e-5;
        if (eps != null) {
            if (!eps.isNumber() || !(eps.doubleValue() > 0) || Double.isInfinite(eps.doubleValue())) {
                throw new CheckpointException.BadConfig(where, "layer_norm_epsilon is " + eps + ", not a positive number");
            }
            epsilon = eps.doubleValue();
        }
        JsonNode act = json.get("activation_function");
        if (act != null && !act.isTextual()) {
            throw new CheckpointException.BadConfig(where, "activation_function is " + act + ", not a string");
        }
        if (nEmbd % nHead != 0) {
            throw new CheckpointException.BadConfig(where, "n_embd " + nEmbd + " is not a multiple of n_head " + nHead);
        }
        return new HfGpt2Config(nEmbd, nLayer, nHead, nPositions, vocabSize, nInner, epsilon,
                act == null ? "gelu_new" : act.textValue(), json.deepCopy());
    }

    private static int positiveInt(ObjectNode json, String where, String key, int fallback) throws CheckpointException {
        JsonNode n = json.get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0) {
            throw new CheckpointException.BadConfig(where, key + " is " + n + ", not a positive 32-bit integer");
        }
        return n.intValue();
    }
}
