package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.data.Corpus;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.train.ModelCheckpoint;
import org.rlhf4j.train.Overrides;
import org.rlhf4j.train.Recipe;
import org.rlhf4j.train.TrainConfig;
import org.rlhf4j.train.Trainer;
import org.rlhf4j.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code rlhf4j pretrain}: trains a character-level GPT on a corpus with a preset recipe, writing
 * {@code <out>/metrics.jsonl} and {@code <out>/checkpoint/}. Settings are changed with
 * {@code --set key=value} or directly as {@code --key=value} (nanoGPT's names, e.g. {@code --max_iters=200}).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain a character-level GPT (nanoGPT's recipe) on a corpus.",
                "Presets: shakespeare-char (nanoGPT's CPU recipe; needs --corpus), moby-dick-char (the same on "
                        + "the bundled Moby-Dick), tiny (a seconds-long smoke run).",
                "Settings (--set key=value or --key=value): batch_size, block_size, max_iters, learning_rate, "
                        + "min_lr, warmup_iters, lr_decay_iters, beta1, beta2, weight_decay, grad_clip, "
                        + "gradient_accumulation_steps, eval_iters, eval_interval, log_interval, "
                        + "checkpoint_interval, seed, n_layer, n_head, n_embd, dropout, bias."})
final class PretrainCommand implements Callable<Integer> {

    private static final Pattern SETTING = Pattern.compile("--([A-Za-z][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "<name>", defaultValue = "moby-dick-char",
            description = "shakespeare-char, moby-dick-char or tiny (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--corpus", paramLabel = "<file>",
            description = "UTF-8 text to train on (default: the bundled Moby-Dick; shakespeare-char needs one).")
    Path corpus;

    @Option(names = "--out", paramLabel = "<dir>", required = true,
            description = "Run directory: metrics.jsonl and checkpoint/ are written here.")
    Path out;

    @Option(names = "--set", paramLabel = "<key=value>", description = "Change a setting, e.g. --set max_iters=200.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, exactly.")
    boolean resume;

    @Option(names = "--progress", paramLabel = "<mode>", defaultValue = "auto",
            description = "auto, bar (redrawn with \\r), lines (one line every few seconds) or none.")
    String progress;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
        Map<String, String> settings = settings();
        Recipe recipe = Recipe.preset(preset);
        Path checkpoint = out.resolve(Trainer.CHECKPOINT_DIR);
        boolean hasRun = Files.exists(checkpoint.resolve("manifest.json"));
        if (resume && !hasRun) {
            throw Rlhf4j.usage(spec, "--resume: there is no checkpoint in " + checkpoint + "; start a new run "
                    + "without --resume, or give the --out of an earlier run");
        }
        if (!resume && hasRun) {
            throw Rlhf4j.usage(spec, "--out " + out + " already holds a run (" + checkpoint + "); add --resume "
                    + "to continue it, or choose another --out");
        }
        if (resume && !settings.isEmpty()) {
            throw Rlhf4j.usage(spec, "--resume continues with the run's saved settings; drop " + settings.keySet());
        }
        String text = corpusText(recipe);
        Trainer trainer;
        ProgressBar bar = new ProgressBar(stdout, stderr, ProgressBar.Mode.parse(progress, spec));
        if (resume) {
            ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(checkpoint);
            TokenStream.Split split = TokenStream.encode(loaded.tokenizer(), text).split();
            trainer = Trainer.resume(loaded, TrainingData.blocks(split), out, bar);
            stdout.printf("resuming %s at step %d of %d%n", out, trainer.step(), trainer.config().maxIters());
        } else {
            recipe = Overrides.apply(recipe, settings);
            Tokenizer tokenizer = CharTokenizer.fromCorpus(text);
            TokenStream.Split split = TokenStream.encode(tokenizer, text).split();
            GptConfig config = recipe.model().withVocabSize(tokenizer.vocabSize());
            TrainConfig train = recipe.train();
            Gpt model = new Gpt(config, new Generator(train.seed()));
            trainer = Trainer.start(model, tokenizer, train, TrainingData.blocks(split), out, bar);
            stdout.printf("pretrain %s: %,d parameters (%d layers, %d heads, n_embd %d, vocabulary %d); "
                            + "%,d training and %,d validation tokens; batch %d x %d, %d steps; %s backend, %d threads%n",
                    recipe.name(), model.parameterCount(), config.nLayer(), config.nHead(), config.nEmbd(),
                    config.vocabSize(), split.train().size(), split.validation().size(), train.batchSize(),
                    train.blockSize(), train.maxIters(), Backends.currentName(), Backends.current().parallel().threads());
        }
        trainer.run();
        bar.finish();
        stdout.printf("done: %d steps; metrics in %s, checkpoint in %s%n", trainer.step(),
                out.resolve("metrics.jsonl"), checkpoint);
        if (bar.lastValLoss() != null) {
            stdout.printf("final validation loss %.4f%n", bar.lastValLoss());
        }
        return 0;
    }

    /** --set pairs, then --key=value arguments picocli did not recognise (anything else is an error). */
    private Map<String, String> settings() {
        Map<String, String> all = new LinkedHashMap<>(set);
        for (String arg : unmatched) {
            Matcher m = SETTING.matcher(arg);
            if (!m.matches() || !Overrides.keys().contains(m.group(1).replace('-', '_'))) {
                String what = arg.startsWith("-") ? "unknown option or setting '" + arg.split("=", 2)[0] + "'"
                        : "unexpected argument '" + arg + "'";
                throw Rlhf4j.usage(spec, what + "; settings take the form --key=value, with a key among "
                        + String.join(", ", Overrides.keys()));
            }
            all.put(m.group(1), m.group(2));
        }
        return all;
    }

    private String corpusText(Recipe recipe) throws IOException {
        if (corpus == null) {
            if (recipe.needsCorpus()) {
                throw Rlhf4j.usage(spec, "--preset " + recipe.name() + " needs --corpus <file> (nanoGPT's "
                        + "tinyshakespeare input.txt); or use --preset moby-dick-char for the bundled corpus");
            }
            return Corpus.mobyDick();
        }
        if (!Files.isRegularFile(corpus)) {
            throw Rlhf4j.usage(spec, "--corpus: " + corpus + (Files.exists(corpus) ? " is not a regular file"
                    : " does not exist") + "; give the path of a UTF-8 text file");
        }
        return Corpus.read(corpus);
    }
}
