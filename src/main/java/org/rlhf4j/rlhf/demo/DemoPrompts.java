package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.tensor.Generator;

/**
 * Prompts taken from the corpus itself: the first words of its sentences ("Call me ", "Some years ago ").
 * Training prompts come from the first 90% of the text and held-out prompts from the last 10%, the same
 * cut as pretraining's train/validation split ({@code TokenStream.DEFAULT_TRAIN_FRACTION}), so the
 * held-out prompts open sentences the model never trained on.
 *
 * <p>A prompt is the longest run of whole words (2 or more, letters and apostrophes, the first
 * capitalised, the rest lower case) that fits {@code maxChars} with a trailing space, so a response
 * starts a new word. Duplicates are dropped; a seeded shuffle picks the requested number of each set.
 *
 * @param train   prompts for feedback and PPO
 * @param heldOut prompts for evaluation only
 */
public record DemoPrompts(List<String> train, List<String> heldOut) {

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"'\u201d\u2019]?\\s+");
    private static final Pattern OPENING = Pattern.compile("[A-Z][a-z']*(?: [a-z][a-z']*)+");
    private static final double TRAIN_FRACTION = 0.9;

    public DemoPrompts {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * {@code nTrain} and {@code nHeldOut} prompts of at most {@code maxChars} characters from {@code text}.
     *
     * @throws IllegalArgumentException when the text has fewer distinct openings than asked for
     */
    public static DemoPrompts from(String text, int nTrain, int nHeldOut, int maxChars, long seed) {
        int cut = (int) (text.length() * TRAIN_FRACTION);
        Set<String> early = new LinkedHashSet<>(), late = new LinkedHashSet<>();
        Matcher end = SENTENCE_END.matcher(text);
        while (end.find()) {
            String p = opening(text, end.end(), maxChars);
            if (p != null) {
                (end.end() < cut ? early : late).add(p);
            }
        }
        late.removeAll(early); // held-out prompts are never training prompts
        Generator g = new Generator(seed);
        return new DemoPrompts(pick(new ArrayList<>(early), nTrain, g, "training"),
                pick(new ArrayList<>(late), nHeldOut, g, "held-out"));
    }

    /** The opening words of the sentence at {@code from} that fit, with a trailing space; null if none. */
    static String opening(String text, int from, int maxChars) {
        int stop = Math.min(text.length(), from + maxChars + 24);
        Matcher m = OPENING.matcher(text.substring(from, stop));
        if (!m.lookingAt()) {
            return null;
        }
        String[] words = m.group().split(" ");
        StringBuilder sb = new StringBuilder(words[0]);
        int used = 1;
        while (used < words.length && sb.length() + 1 + words[used].length() + 1 <= maxChars) {
            sb.append(' ').append(words[used++]);
        }
        return used >= 2 && sb.length() + 1 <= maxChars ? sb.append(' ').toString() : null;
    }

    /** {@code n} of {@code pool}, by a seeded Fisher-Yates shuffle. */
    private static List<String> pick(List<String> pool, int n, Generator g, String which) {
        if (n > pool.size()) {
            throw new IllegalArgumentException("the corpus has " + pool.size() + " distinct " + which
                    + " sentence openings, fewer than the " + n + " asked for");
        }
        for (int i = pool.size() - 1; i > 0; i--) {
            int j = Math.min(i, (int) (g.nextUniform() * (i + 1)));
            String t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return pool.subList(0, n);
    }
}
