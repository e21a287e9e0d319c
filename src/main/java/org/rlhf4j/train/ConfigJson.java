package org.rlhf4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.HfGpt2Config;
import org.rlhf4j.nn.GptConfig;

/**
 * The JSON forms of the configs, as a checkpoint stores them. {@link GptConfig} becomes a Hugging Face
 * GPT-2 {@code config.json} ({@code n_embd, n_layer, n_head, n_positions, vocab_size, ...}) plus
 * rlhf4j's {@code bias} flag, so the io package's {@link HfGpt2Config} reads it; {@link TrainConfig}
 * becomes an object whose keys are nanoGPT's train.py names ({@link #TRAIN_KEYS}).
 */
public final class ConfigJson {

    /** TrainConfig's components in order, by their snake_case (nanoGPT) names. */
    public static final java.util.List<String> TRAIN_KEYS = java.util.List.of("batch_size", "block_size",
            "max_iters", "learning_rate", "min_lr", "warmup_iters", "lr_decay_iters", "beta1", "beta2",
            "weight_decay", "grad_clip", "gradient_accumulation_steps", "eval_iters", "eval_interval",
            "log_interval", "checkpoint_interval", "seed");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConfigJson() {
    }

    public static ObjectNode toJson(TrainConfig c) {
        ObjectNode o = F.objectNode();
        o.put("batch_size", c.batchSize());
        o.put("block_size", c.blockSize());
        o.put("max_iters", c.maxIters());
        o.put("learning_rate", c.lr());
        o.put("min_lr", c.minLr());
        o.put("warmup_iters", c.warmupIters());
        o.put("lr_decay_iters", c.lrDecayIters());
        o.put("beta1", c.beta1());
        o.put("beta2", c.beta2());
        o.put("weight_decay", c.weightDecay());
        o.put("grad_clip", c.gradClip());
        o.put("gradient_accumulation_steps", c.gradAccumSteps());
        o.put("eval_iters", c.evalIters());
        o.put("eval_interval", c.evalInterval());
        o.put("log_interval", c.logInterval());
        o.put("checkpoint_interval", c.checkpointInterval());
        o.put("seed", c.seed());
        return o;
    }

    /** The TrainConfig of {@link #toJson(TrainConfig)}; every key is required. */
    public static TrainConfig trainConfig(JsonNode o) {
        for (String key : TRAIN_KEYS) {
            JsonNode v = o.get(key);
            if (v == null || !v.isNumber()) {
                throw new IllegalArgumentException("train config: \"" + key + "\" is " + v + ", not a number");
            }
        }
        return new TrainConfig(o.get("batch_size").intValue(), o.get("block_size").intValue(),
                o.get("max_iters").intValue(), o.get("learning_rate").doubleValue(), o.get("min_lr").doubleValue(),
                o.get("warmup_iters").intValue(), o.get("lr_decay_iters").intValue(), o.get("beta1").doubleValue(),
                o.get("beta2").doubleValue(), o.get("weight_decay").doubleValue(), o.get("grad_clip").doubleValue(),
                o.get("gradient_accumulation_steps").intValue(), o.get("eval_iters").intValue(),
                o.get("eval_interval").intValue(), o.get("log_interval").intValue(),
                o.get("checkpoint_interval").intValue(), o.get("seed").longValue());
    }

    /** A Hugging Face GPT-2 config.json for {@code c}, plus {@code "bias"} (HF GPT-2 always has biases). */
    public static ObjectNode toJson(GptConfig c) {
        ObjectNode o = F.objectNode();
        o.put("model_type", "gpt2");
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("vocab_size", c.vocabSize());
        o.put("n_positions", c.blockSize());
        o.put("n_embd", c.nEmbd());
        o.put("n_layer", c.nLayer());
        o.put("n_head", c.nHead());
        o.putNull("n_inner");
        o.put("activation_function", "gelu_new");
        o.put("layer_norm_epsilon", (double) c.layerNormEps());
        o.put("initializer_range", (double) c.initStd());
        o.put("embd_pdrop", (double) c.dropout());
        o.put("attn_pdrop", (double) c.dropout());
        o.put("resid_pdrop", (double) c.dropout());
        o.put("tie_word_embeddings", true);
        o.put("bias", c.bias());
        return o;
    }

    /**
     * The GptConfig of a config.json: the shape as {@link HfGpt2Config} reads it, {@code resid_pdrop}
     * as the dropout (default 0), {@code bias} (default true, as GPT-2), {@code initializer_range}.
     */
    public static GptConfig gptConfig(ObjectNode o, String where) throws CheckpointException {
        HfGpt2Config hf = HfGpt2Config.from(o, where);
        if (hf.nInner() != 4 * hf.nEmbd() || !hf.activationFunction().equals("gelu_new")) {
            throw new CheckpointException.BadConfig(where, "rlhf4j's GPT needs n_inner = 4 n_embd and "
                    + "activation_function gelu_new, got " + hf.nInner() + " and " + hf.activationFunction());
        }
        JsonNode bias = o.get("bias");
        try {
            return new GptConfig(hf.vocabSize(), hf.nPositions(), hf.nLayer(), hf.nHead(), hf.nEmbd(),
                    (float) o.path("resid_pdrop").asDouble(0.0), bias == null || bias.asBoolean(true),
                    (float) hf.layerNormEpsilon(), (float) o.path("initializer_range").asDouble(0.02));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException.BadConfig(where, e.getMessage());
        }
    }
}
