package org.rlhf4j.rlhf.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.train.ConfigJson;
import org.rlhf4j.train.ModelCheckpoint;

/**
 * A reward model on disk, in the io package's atomic checkpoint directory:
 * <pre>
 *   model.safetensors  the trunk under GPT-2's names, then score.weight (1, C) and score.bias (1)
 *   config.json        GPT-2's config.json ("architectures": ["GPT2ForSequenceClassification"], "num_labels": 1,
 *                      "pad_token_id") plus "reward": {"gain", "bias", "max_length"}, the normalization
 *   tokenizer.json     the tokenizer
 *   optimizer.safetensors  AdamW's moments, &lt;param&gt;.exp_avg / .exp_avg_sq (a trainer's checkpoint only)
 *   state.json         whatever the trainer records (step, config, data counts, what resuming needs)
 * </pre>
 * {@link #load} accepts the directory itself or a run directory holding {@code checkpoint/}.
 */
public final class RewardCheckpoint {

    /** The subdirectory of a run directory that holds the model. */
    public static final String DIR = "checkpoint";

    private RewardCheckpoint() {
    }

    /** A reward model read back with everything its checkpoint held (the trainer's state and optimizer). */
    public record Loaded(RewardModel model, CheckpointData data) {
    }

    /** Writes {@code model} to {@code dir} atomically, with {@code state} as state.json. */
    public static void save(RewardModel model, Path dir, ObjectNode state) throws IOException {
        save(model, dir, state, List.of());
    }

    /**
     * Writes {@code model} to {@code dir} atomically, with {@code state} as state.json and
     * {@code optimizer} (AdamW's moments, {@code <param>.exp_avg} / {@code .exp_avg_sq}) as
     * optimizer.safetensors (none when empty).
     */
    public static void save(RewardModel model, Path dir, ObjectNode state, List<NamedTensor> optimizer)
            throws IOException {
        List<NamedTensor> weights = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> weights.add(NamedTensor.of(name, p)));
        Checkpoint.save(dir, new CheckpointData(weights, config(model), model.tokenizer().toJson(), optimizer, state));
    }

    /** The config.json of {@code model}. */
    static ObjectNode config(RewardModel model) {
        ObjectNode o = ConfigJson.toJson(model.trunk().config);
        o.putArray("architectures").add("GPT2ForSequenceClassification");
        o.put("num_labels", 1);
        o.put("pad_token_id", RewardModel.PAD_ID);
        ObjectNode r = o.putObject("reward");
        r.put("gain", (double) model.gain());
        r.put("bias", (double) model.bias());
        r.put("max_length", model.maxLength());
        return o;
    }

    /** The reward model saved in {@code dir} (or {@code dir/checkpoint}), with its normalization. */
    public static RewardModel load(Path dir) throws IOException {
        return loadWithData(dir).model();
    }

    /** As {@link #load}, with the checkpoint's data (state.json, optimizer tensors) for resuming. */
    public static Loaded loadWithData(Path dir) throws IOException {
        Path from = ModelCheckpoint.locate(dir);
        CheckpointData data = Checkpoint.load(from);
        String where = from.resolve(Checkpoint.CONFIG).toString();
        GptConfig config = ConfigJson.gptConfig(data.config(), where);
        JsonNode r = data.config().path("reward");
        if (!r.path("gain").isNumber() || !r.path("bias").isNumber() || !r.path("max_length").canConvertToInt()) {
            throw new CheckpointException.BadJson(where, "not a reward model: needs \"reward\": {\"gain\", \"bias\", "
                    + "\"max_length\"} (a language-model checkpoint goes to train-reward --base)");
        }
        if (data.tokenizer() == null) {
            throw new CheckpointException(from.toString(), "has no tokenizer.json; a reward model needs its tokenizer");
        }
        Tokenizer tokenizer = Tokenizer.fromJson(data.tokenizer());
        RewardModel model;
        try {
            model = new RewardModel(new Gpt(config.withDropout(0f), new Generator(0)), tokenizer,
                    r.get("max_length").intValue(), new Generator(0));
            model.setNormalization(r.get("gain").floatValue(), r.get("bias").floatValue());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException.BadConfig(where, e.getMessage());
        }
        copyWeights(model, data, from.toString());
        return new Loaded(model, data);
    }

    /**
     * A fresh reward model on the language model saved in {@code dir} (a pretrain run or checkpoint):
     * its trunk weights and tokenizer, dropout off, a new head from {@code seed}.
     */
    public static RewardModel fromPretrained(Path dir, int maxLength, long seed) throws IOException {
        ModelCheckpoint.Loaded lm = ModelCheckpoint.load(dir);
        Path from = ModelCheckpoint.locate(dir);
        if (lm.tokenizer() == null) {
            throw new CheckpointException(from.toString(), "has no tokenizer.json; the reward model needs the "
                    + "base model's tokenizer");
        }
        Gpt trunk = new Gpt(lm.model().config.withDropout(0f), new Generator(seed));
        ModelCheckpoint.loadWeights(trunk, lm.data(), from.toString());
        return new RewardModel(trunk, lm.tokenizer(), maxLength, new Generator(seed ^ 0x9E3779B97F4A7C15L));
    }

    /** Overwrites every parameter of {@code model} with the checkpoint's tensor (all required, shapes equal). */
    private static void copyWeights(RewardModel model, CheckpointData data, String where) throws CheckpointException {
        List<String> problems = new ArrayList<>();
        var params = model.namedParameters();
        params.forEach((name, p) -> {
            NamedTensor t = data.weight(name);
            if (t == null) {
                problems.add(name + " is missing");
            } else if (!java.util.Arrays.equals(t.shape(), p.dims())) {
                problems.add(name + " has shape " + java.util.Arrays.toString(t.shape()) + ", the model needs "
                        + java.util.Arrays.toString(p.dims()));
            }
        });
        for (NamedTensor t : data.weights()) {
            if (!params.containsKey(t.name())) {
                problems.add(t.name() + " is not a parameter of a reward model");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(where, "weights do not fit the reward model: " + String.join("; ", problems));
        }
        params.forEach((name, p) -> System.arraycopy(data.weight(name).data(), 0, p.data(), p.offset(), p.size()));
    }

    /** An empty JSON object, for callers with no state to record. */
    public static ObjectNode noState() {
        return JsonNodeFactory.instance.objectNode();
    }
}
