package org.rlhf4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a Hugging Face GPT-2 checkpoint directory ({@code model.safetensors} + {@code config.json}
 * as transformers writes them): the config through {@link HfGpt2Config}, the weights through the
 * validating reader, with names brought to canonical form by {@link HfGpt2Names}. The header is read
 * first so the attention-mask buffers are validated but never loaded. Weights keep the file's
 * layout: GPT-2's Conv1D stores {@code c_attn}, {@code c_proj} and {@code c_fc} weights as
 * (in, out), the transpose of a Linear's (out, in); mapping that onto the model is the nn package's
 * job.
 */
public final class HfGpt2 {

    /**
     * A loaded GPT-2 checkpoint.
     *
     * @param config the model config
     * @param weights the parameters under their canonical names, in file order (F16/BF16/F64 files
     *     already converted to float; {@link NamedTensor#dtype()} tells what the file held)
     * @param names how the file's names were sorted: dropped buffers, unknown names, whether the
     *     head is tied
     */
    public record Loaded(HfGpt2Config config, List<NamedTensor> weights, HfGpt2Names.Result names) {
        public Loaded {
            weights = List.copyOf(weights);
        }
    }

    private HfGpt2() {
    }

    /**
     * Loads {@code dir/config.json} and {@code dir/model.safetensors}. Unknown tensor names are
     * reported in {@link Loaded#names()} and not loaded; two names that collide after normalising are
     * an error.
     */
    public static Loaded load(Path dir) throws IOException {
        HfGpt2Config config = HfGpt2Config.read(dir.resolve(Checkpoint.CONFIG));
        Path model = dir.resolve(Checkpoint.MODEL);
        ReadOptions options = ReadOptions.defaults();
        SafeTensorsHeader header = SafeTensors.readHeader(model, options);
        List<String> names = new ArrayList<>();
        header.entries().forEach(e -> names.add(e.name()));
        HfGpt2Names.Result result = HfGpt2Names.normalise(names);
        if (!result.conflicts().isEmpty()) {
            throw new CheckpointException.BadConfig(model.toString(), "tensor names that mean the same parameter: "
                    + result.conflicts());
        }
        SafeTensorsFile file = SafeTensors.read(model, options.withInclude(result.canonical()::containsKey));
        List<NamedTensor> weights = new ArrayList<>();
        for (NamedTensor t : file.tensors()) {
            weights.add(new NamedTensor(result.canonical().get(t.name()), t.dtype(), t.shape(), t.data()));
        }
        return new Loaded(config, weights, result);
    }
}
