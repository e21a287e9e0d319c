package org.rlhf4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.nn.GptConfig;

/**
 * {@code key=value} overrides of a {@link Recipe}, as nanoGPT's {@code --key=value} command-line
 * overrides. Keys are nanoGPT's names: every key of {@link ConfigJson#TRAIN_KEYS} for the training
 * config, and {@link #MODEL_KEYS} for the model. {@code block_size} sets both the training block and
 * the model's positions. A value is parsed as the type of the field it replaces; an unknown key or a
 * bad value is an {@link IllegalArgumentException} naming it and saying what would be accepted.
 */
public final class Overrides {

    /** Model keys: {@code n_layer, n_head, n_embd} (integers), {@code dropout} (a number), {@code bias}. */
    public static final List<String> MODEL_KEYS = List.of("n_layer", "n_head", "n_embd", "dropout", "bias");

    private Overrides() {
    }

    /** Every key that {@link #apply} accepts. */
    public static List<String> keys() {
        List<String> all = new ArrayList<>(ConfigJson.TRAIN_KEYS);
        all.addAll(MODEL_KEYS);
        return all;
    }

    /** {@code recipe} with each override applied, in order; the configs re-validate the result. */
    public static Recipe apply(Recipe recipe, Map<String, String> overrides) {
        ObjectNode train = ConfigJson.toJson(recipe.train());
        GptConfig model = recipe.model();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim().replace('-', '_'), value = e.getValue().trim();
            if (train.has(key)) {
                JsonNode old = train.get(key);
                if (old.isLong() || key.equals("seed")) {
                    train.put(key, parseLong(key, value));
                } else if (old.isInt()) {
                    train.put(key, (int) Math.min(Integer.MAX_VALUE, parseLong(key, value)));
                } else {
                    train.put(key, parseDouble(key, value));
                }
                if (key.equals("block_size")) {
                    model = model.withBlockSize(train.get(key).intValue());
                }
            } else {
                model = switch (key) {
                    case "n_layer" -> model.withNLayer((int) parseLong(key, value));
                    case "n_head" -> model.withNHead((int) parseLong(key, value));
                    case "n_embd" -> model.withNEmbd((int) parseLong(key, value));
                    case "dropout" -> model.withDropout((float) parseDouble(key, value));
                    case "bias" -> model.withBias(parseBoolean(key, value));
                    default -> throw new IllegalArgumentException("unknown setting '" + e.getKey()
                            + "'; known settings: " + String.join(", ", keys()));
                };
            }
        }
        TrainConfig t = ConfigJson.trainConfig(train);
        return recipe.with(model, t);
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": " + key + " takes an integer, e.g. " + key + "=100");
        }
    }

    private static double parseDouble(String key, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": " + key + " takes a finite number, e.g. "
                    + key + "=0.001");
        }
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + "=" + value + ": " + key + " takes true or false");
    }
}
