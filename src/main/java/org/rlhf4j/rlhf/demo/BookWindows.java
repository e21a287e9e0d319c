package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.tensor.Generator;

/**
 * Text the panel can judge: short windows of the book, K at a time, for the reward model to learn the
 * panel's preference from (stage 3). The policy's own samples are mostly not words (a character model),
 * so few of them carry a rated word and a reward model learns little from them; windows of real text
 * carry the words the policy imitates, each judged many times.
 *
 * <p>The text is lowercased and cut at whitespace into consecutive windows of {@link #WORDS} words; only
 * windows that end in the first {@link #TRAIN_FRACTION} of the book are used (the held-out prompts come
 * from the rest). The vocabulary is the {@link #VOCABULARY} VADER tokens found most often in them (ties by
 * token); a window is kept when it has a rated token and all its rated tokens are in the vocabulary, so
 * every rated word recurs often enough to be denoised (as in the reward package's PanelRewardModelTest,
 * docs/reward-model.md).
 */
public final class BookWindows {

    static final int WORDS = 8, VOCABULARY = 200;
    static final double TRAIN_FRACTION = 0.9;

    private BookWindows() {
    }

    /** The training windows, in book order. */
    static List<String> pool(String text, VaderLexicon lexicon) {
        String[] w = text.toLowerCase(Locale.ROOT).strip().split("\\s+");
        int cut = (int) (w.length * TRAIN_FRACTION);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i + WORDS <= cut; i += WORDS) {
            pool.add(String.join(" ", Arrays.asList(w).subList(i, i + WORDS)));
        }
        Map<String, Integer> count = new HashMap<>();
        for (String window : pool) {
            for (String token : lexicon.ratedTokens(window)) {
                count.merge(token, 1, Integer::sum);
            }
        }
        Set<String> allowed = new HashSet<>(count.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(VOCABULARY).map(Map.Entry::getKey).toList());
        pool.removeIf(window -> {
            List<String> rated = lexicon.ratedTokens(window);
            return rated.isEmpty() || !allowed.containsAll(rated);
        });
        return List.copyOf(pool);
    }

    /** {@code count} items of {@code k} distinct windows of {@code pool}, each drawn uniformly (empty prompt). */
    public static List<Candidates> items(List<String> pool, int count, int k, Generator gen) {
        if (count > 0 && pool.size() < k) {
            throw new IllegalArgumentException("a pool of " + pool.size() + " windows cannot fill items of " + k);
        }
        List<Candidates> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> picked = new ArrayList<>(k);
            Set<Integer> seen = new HashSet<>();
            while (picked.size() < k) {
                int j = gen.nextInt(pool.size());
                if (seen.add(j)) {
                    picked.add(pool.get(j));
                }
            }
            items.add(new Candidates("", picked));
        }
        return items;
    }
}
