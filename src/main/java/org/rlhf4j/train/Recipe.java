package org.rlhf4j.train;

import java.util.List;
import java.util.Locale;
import org.rlhf4j.nn.GptConfig;

/**
 * A named model shape and training config. The model's vocabulary size is a placeholder until the
 * tokenizer is known ({@code model.withVocabSize(tokenizer.vocabSize())}).
 *
 * @param name          the preset's name on the command line
 * @param model         the GPT's shape
 * @param train         how it is trained
 * @param needsCorpus   true when the recipe is meant for a corpus the user must give (tinyshakespeare);
 *                      false when the bundled Moby-Dick is the default
 * @param description   one line for {@code --help}
 */
public record Recipe(String name, GptConfig model, TrainConfig train, boolean needsCorpus, String description) {

    public Recipe {
        if (train.blockSize() > model.blockSize()) {
            throw new IllegalArgumentException("block_size " + train.blockSize() + " exceeds the model's "
                    + model.blockSize() + " positions");
        }
    }

    /**
     * nanoGPT's shakespeare-char CPU recipe, unchanged: {@link GptConfig#baby()} (4 layers, 4 heads,
     * n_embd 128, block 64, dropout 0, no biases) trained by {@link TrainConfig#shakespeareChar()}.
     */
    public static Recipe shakespeareChar() {
        return new Recipe("shakespeare-char", GptConfig.baby(), TrainConfig.shakespeareChar(), true,
                "nanoGPT's CPU recipe on tinyshakespeare (--corpus required): baby GPT, 2000 steps");
    }

    /** The same model and recipe on the bundled Moby-Dick (or --corpus). */
    public static Recipe mobyDickChar() {
        return new Recipe("moby-dick-char", GptConfig.baby(), TrainConfig.shakespeareChar(), false,
                "the shakespeare-char recipe on the bundled Moby-Dick (or --corpus)");
    }

    /** A smoke run: 2 layers, 2 heads, n_embd 32, block 32, {@link TrainConfig#tiny()}. */
    public static Recipe tiny() {
        return new Recipe("tiny", new GptConfig(65, 32, 2, 2, 32, 0f, false, 1e-5f, 0.02f), TrainConfig.tiny(),
                false, "a seconds-long smoke run: 2 layers, n_embd 32, 50 steps");
    }

    public static List<Recipe> presets() {
        return List.of(shakespeareChar(), mobyDickChar(), tiny());
    }

    /** The preset called {@code name}; the message lists the known ones. */
    public static Recipe preset(String name) {
        for (Recipe r : presets()) {
            if (r.name().equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; choose one of "
                + presets().stream().map(Recipe::name).toList());
    }

    public Recipe with(GptConfig m, TrainConfig t) {
        return new Recipe(name, m, t, needsCorpus, description);
    }
}
