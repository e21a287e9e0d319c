package org.rlhf4j.embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.nn.SamplingConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.train.ModelCheckpoint;
import org.rlhf4j.train.TrainConfig;
import org.rlhf4j.train.Trainer;
import org.rlhf4j.train.TrainingData;
import org.rlhf4j.train.TrainListener;

/**
 * Run in a child JVM by {@link NoStrayWritesTest}, whose java.io.tmpdir and user.home are fresh empty folders:
 * {@code StrayWritesProbe <run dir>} pretrains a tiny character GPT into {@code <run dir>/pretrain} for 2 steps
 * (metrics.jsonl, a checkpoint), loads that checkpoint into fresh objects and resumes to step 4 (a second save),
 * loads the final checkpoint, saves a copy of it with {@link Checkpoint#save} to {@code <run dir>/copy} and
 * loads that, then samples from the loaded model, greedily and at temperature 1. Prints {@code sample=} and
 * {@code done}.
 */
public final class StrayWritesProbe {

    static final String TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer. ";

    private StrayWritesProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        Path pretrain = run.resolve("pretrain");
        Files.createDirectories(pretrain);
        CharTokenizer tok = CharTokenizer.fromCorpus(TEXT);
        TrainingData data = TrainingData.blocks(TokenStream.encode(tok, TEXT.repeat(8)).split());
        GptConfig model = new GptConfig(tok.vocabSize(), 16, 2, 2, 16, 0.1f, true, 1e-5f, 0.02f);
        TrainConfig cfg = new TrainConfig(2, 16, 4, 3e-3, 3e-4, 1, 4, 0.9, 0.99, 0.1, 1.0, 1, 2, 2, 1, 0, 11L);
        // 1. pretrain 2 steps (checkpoint), 2. load and resume to 4 (checkpoint again)
        Trainer.start(new Gpt(model, new Generator(cfg.seed())), tok, cfg, data, pretrain, TrainListener.NONE).runUntil(2);
        Trainer.resume(ModelCheckpoint.load(pretrain), data, pretrain, TrainListener.NONE).run();
        // 3. load it, save a copy elsewhere, load the copy
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(pretrain);
        Checkpoint.save(run.resolve("copy"), loaded.data());
        ModelCheckpoint.Loaded copy = ModelCheckpoint.load(run.resolve("copy"));
        // 4. sample
        int[] prompt = copy.tokenizer().encode("to be");
        int[] greedy = Sampler.generate(copy.model(), prompt, SamplingConfig.greedy(8));
        int[] sampled = Sampler.generate(loaded.model(), prompt, SamplingConfig.defaults().withMaxNewTokens(8).withSeed(3));
        System.out.println("sample=" + copy.tokenizer().decode(greedy).replace('\n', ' ') + " | "
                + loaded.tokenizer().decode(sampled).replace('\n', ' '));
        Backends.reset();
        System.out.println("done");
    }
}
