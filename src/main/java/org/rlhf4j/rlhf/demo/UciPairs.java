package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.UciSentences;
import org.rlhf4j.tensor.Generator;

/**
 * Sentences people labelled positive or negative (the UCI "Sentiment Labelled Sentences", Kotzias et al.
 * 2015, bundled with feedback), as (positive, negative) pairs the demo's reward model can read: only
 * sentences whose every character the model's tokenizer knows and that fit {@code maxLength} tokens are
 * kept; the positives and the negatives are shuffled with a seeded generator and zipped into prompt-less
 * pairs. They give the reward model people's notion of positive on real sentences, where the panel's
 * rankings of a small model's samples are sparse (most samples hold no rated word at all).
 */
public final class UciPairs {

    private UciPairs() {
    }

    /** Pairs from {@code domains}, at most {@code limit}. */
    public static List<PairwisePreference> fitting(List<UciSentences.Domain> domains, Tokenizer tokenizer,
                                                   int maxLength, int limit, long seed) {
        List<String> positive = new ArrayList<>(), negative = new ArrayList<>();
        for (UciSentences.Domain d : domains) {
            for (UciSentences.Sentence s : UciSentences.load(d)) {
                if (fits(tokenizer, s.text(), maxLength)) {
                    (s.positive() ? positive : negative).add(s.text());
                }
            }
        }
        Generator g = new Generator(seed);
        shuffle(positive, g);
        shuffle(negative, g);
        List<PairwisePreference> out = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, Math.min(positive.size(), negative.size())); i++) {
            out.add(new PairwisePreference("", positive.get(i), negative.get(i)));
        }
        return out;
    }

    private static boolean fits(Tokenizer tokenizer, String text, int maxLength) {
        try {
            return tokenizer.encode(text).length <= maxLength;
        } catch (IllegalArgumentException unknownCharacter) {
            return false;
        }
    }

    private static <T> void shuffle(List<T> list, Generator g) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = Math.min(i, (int) (g.nextUniform() * (i + 1)));
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
