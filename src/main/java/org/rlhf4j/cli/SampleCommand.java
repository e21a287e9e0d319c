package org.rlhf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.nn.SamplingConfig;
import org.rlhf4j.train.ModelCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j sample}: loads a checkpoint (a {@code checkpoint/} directory, or the run directory
 * holding one) and prints the completion of a prompt on stdout. Defaults as nanoGPT's sample.py
 * (temperature 0.8, top-k 200), with a KV cache.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Print the model's completion of a prompt on stdout.")
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "<dir>", required = true,
            description = "A checkpoint directory, or a pretrain --out directory.")
    Path checkpoint;

    @Option(names = "--prompt", paramLabel = "<text>", required = true, description = "The text to continue.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "<n>", defaultValue = "200",
            description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "<t>", defaultValue = "0.8",
            description = "Softmax temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "<k>", defaultValue = "200",
            description = "Keep the k most likely tokens, 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "<p>", defaultValue = "1.0",
            description = "Nucleus sampling mass in (0, 1] (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1337",
            description = "Seed of the sampling generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--greedy", description = "Always take the most likely token (temperature 0).")
    boolean greedy;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(checkpoint)) {
            throw Rlhf4j.usage(spec, "--checkpoint: " + checkpoint + (Files.exists(checkpoint) ? " is not a directory"
                    : " does not exist") + "; give a checkpoint directory or the --out of a pretrain run");
        }
        if (prompt.isEmpty()) {
            throw Rlhf4j.usage(spec, "--prompt is empty; give at least one character to continue");
        }
        SamplingConfig cfg;
        try {
            cfg = new SamplingConfig(maxTokens, greedy ? 0f : temperature, topK, topP, -1, seed, true);
        } catch (IllegalArgumentException e) {
            throw Rlhf4j.usage(spec, e.getMessage());
        }
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(ModelCheckpoint.locate(checkpoint));
        Tokenizer tokenizer = loaded.tokenizer();
        if (tokenizer == null) {
            throw Rlhf4j.usage(spec, "--checkpoint " + checkpoint + " holds no tokenizer.json, so text cannot be encoded");
        }
        int[] ids = tokenizer.encode(prompt);
        int[] completion = Sampler.generate(loaded.model(), ids, cfg.withEosId(tokenizer.eotId().orElse(-1)));
        spec.commandLine().getOut().println(tokenizer.decode(completion));
        return 0;
    }
}
