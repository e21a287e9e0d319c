package org.rlhf4j.rlhf.ppo;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.tensor.Generator;

/** A tiny character-level setting shared by the PPO tests: seconds, not minutes. */
final class TinyPpo {

    static final CharTokenizer TOKENIZER = CharTokenizer.fromCorpus("abcdefgh .");

    private TinyPpo() {
    }

    static GptConfig config() {
        return new GptConfig(TOKENIZER.vocabSize(), 24, 1, 2, 16, 0f, true, 1e-5f, 0.02f);
    }

    static Gpt policy(long seed) {
        return new Gpt(config(), new Generator(seed));
    }

    /** Small config: 8 prompts, 6 new tokens, 2 epochs of 2 minibatches. */
    static PpoConfig ppo() {
        return PpoConfig.defaults().withRolloutBatch(8).withMaxNewTokens(6).withPpoEpochs(2).withMiniBatches(2)
                .withTemperature(1f).withLr(3e-3);
    }

    /** {@code n} prompts of varied lengths. */
    static List<String> prompts(int n) {
        String[] base = {"ab", "c", "dd e", "fgh", "a.b", "hh", "e f g", "bad"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(base[i % base.length]);
        }
        return out;
    }
}
