package org.rlhf4j.rlhf.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.data.Corpus;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.tensor.Generator;

/**
 * Candidate texts for {@link PanelRewardModelTest}: short windows of Moby-Dick whose rated words recur.
 *
 * <p>The bundled text is lowercased and cut at whitespace into consecutive windows of {@code words} words.
 * Windows that end in the first {@code trainFraction} of the book are the training pool, windows that
 * start after it the held-out pool, so no held-out text (nor any overlap with one) is ever trained on.
 * The vocabulary is the {@code vocabulary} VADER tokens found most often in the training pool (ties by
 * token, so the set is reproducible); a window is kept only when it has at least one rated token and all
 * of its rated tokens are in the vocabulary. This is the set-up's one deliberate choice: a reward model
 * denoises a word by seeing it judged many times, which it can for a word that recurs (as the samples of
 * one policy on one task share their words) and cannot for a word it met once. Unrated words are not
 * restricted: they score 0 for every annotator and the model must learn that too.
 */
final class MobyDickWindows {

    /**
     * @param train      the training pool, in book order
     * @param heldOut    the held-out pool, in book order
     * @param vocabulary the rated tokens allowed, most frequent first
     */
    record Pools(List<String> train, List<String> heldOut, List<String> vocabulary) {
    }

    private MobyDickWindows() {
    }

    static Pools pools(VaderLexicon lexicon, int words, int vocabulary, double trainFraction) {
        String[] w = Corpus.mobyDick().toLowerCase(Locale.ROOT).strip().split("\\s+");
        int cut = (int) (w.length * trainFraction);
        List<String> train = new ArrayList<>(), heldOut = new ArrayList<>();
        for (int i = 0; i + words <= w.length; i += words) {
            String text = String.join(" ", Arrays.asList(w).subList(i, i + words));
            if (i + words <= cut) {
                train.add(text);
            } else if (i >= cut) {
                heldOut.add(text);
            }
        }
        Map<String, Integer> count = new HashMap<>();
        for (String text : train) {
            for (String token : lexicon.ratedTokens(text)) {
                count.merge(token, 1, Integer::sum);
            }
        }
        List<String> top = count.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(vocabulary).map(Map.Entry::getKey).toList();
        Set<String> allowed = new HashSet<>(top);
        train.removeIf(text -> !ratedWithin(lexicon, text, allowed));
        heldOut.removeIf(text -> !ratedWithin(lexicon, text, allowed));
        return new Pools(List.copyOf(train), List.copyOf(heldOut), top);
    }

    private static boolean ratedWithin(VaderLexicon lexicon, String text, Set<String> allowed) {
        List<String> rated = lexicon.ratedTokens(text);
        return !rated.isEmpty() && allowed.containsAll(rated);
    }

    /** {@code count} items of {@code k} distinct windows of {@code pool}, each drawn uniformly (empty prompt). */
    static List<Candidates> items(List<String> pool, int count, int k, Generator gen) {
        return org.rlhf4j.rlhf.demo.BookWindows.items(pool, count, k, gen); // the demo's own draw
    }
}
