package org.rlhf4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Maps a {@link Gpt}, its tokenizer and its {@link AdamW} state onto the io package's
 * {@link CheckpointData}, and back. Weights keep their Hugging Face names; the optimizer's moments are
 * stored with their parameter's shape under PyTorch's {@code <name>.exp_avg} / {@code .exp_avg_sq}.
 */
public final class ModelCheckpoint {

    /** A model read back from a checkpoint, with its tokenizer (null when none was saved). */
    public record Loaded(Gpt model, Tokenizer tokenizer, CheckpointData data) {
    }

    private ModelCheckpoint() {
    }

    /** Copies of the model's parameters, by name, in registration order. */
    public static List<NamedTensor> weights(Gpt model) {
        List<NamedTensor> out = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> out.add(NamedTensor.of(name, p)));
        return out;
    }

    /** Copies of AdamW's moments, each with its parameter's shape. */
    public static List<NamedTensor> optimizer(Gpt model, AdamW opt) {
        Map<String, Tensor> params = model.namedParameters();
        List<NamedTensor> out = new ArrayList<>();
        opt.state().forEach((key, values) -> {
            String param = key.substring(0, key.lastIndexOf(key.endsWith(".exp_avg_sq") ? ".exp_avg_sq" : ".exp_avg"));
            out.add(NamedTensor.f32(key, params.get(param).dims(), values));
        });
        return out;
    }

    /**
     * Loads the checkpoint in {@code dir}, or in {@code dir/checkpoint} when {@code dir} is a training
     * run's output directory, and builds its model (in evaluation mode) and tokenizer.
     */
    public static Loaded load(Path dir) throws IOException {
        Path from = locate(dir);
        CheckpointData data = Checkpoint.load(from);
        GptConfig config = ConfigJson.gptConfig(data.config(), from.resolve(Checkpoint.CONFIG).toString());
        Gpt model = new Gpt(config, new Generator(0));
        loadWeights(model, data, from.toString());
        Tokenizer tokenizer = data.tokenizer() == null ? null : Tokenizer.fromJson(data.tokenizer());
        return new Loaded(model.eval(), tokenizer, data);
    }

    /** {@code dir}, or {@code dir/checkpoint} when only that holds a checkpoint. */
    public static Path locate(Path dir) {
        Path inner = dir.resolve(Trainer.CHECKPOINT_DIR);
        return !Files.exists(dir.resolve("manifest.json")) && Files.exists(inner.resolve("manifest.json")) ? inner : dir;
    }

    /** Overwrites every parameter with the checkpoint's tensor of the same name and shape (all required). */
    public static void loadWeights(Gpt model, CheckpointData data, String where) throws CheckpointException {
        Map<String, Tensor> params = model.namedParameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            NamedTensor t = data.weight(e.getKey());
            if (t == null) {
                problems.add(e.getKey() + " is missing");
            } else if (!Arrays.equals(t.shape(), e.getValue().dims())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", the model needs "
                        + Arrays.toString(e.getValue().dims()));
            }
        }
        for (NamedTensor t : data.weights()) {
            if (!params.containsKey(t.name())) {
                problems.add(t.name() + " is not a parameter of this model");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(where, "weights do not fit the model: " + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            System.arraycopy(data.weight(e.getKey()).data(), 0, p.data(), p.offset(), p.size());
        }
    }

    /** Restores AdamW's step count and moments from the checkpoint's optimizer tensors. */
    public static void loadOptimizer(AdamW opt, long stepCount, CheckpointData data) {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (NamedTensor t : data.optimizer()) {
            state.put(t.name(), t.data());
        }
        opt.loadState(stepCount, state);
    }
}
