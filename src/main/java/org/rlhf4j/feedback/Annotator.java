package org.rlhf4j.feedback;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Collectors;

/**
 * Someone, or something, that judges completions: it scores one completion of a prompt, and ranks K
 * candidates by those scores into the same {@link RankedPreference} a person would give. The simulated
 * annotators of this package ({@link VaderAnnotator}, the rules below, any Java function) all plug in here,
 * and so into {@link AnnotatorPanel} and {@code rlhf4j annotate}.
 *
 * <p>Annotators may be noisy (a {@link VaderAnnotator} draws a fresh rating each time it scores), so an
 * annotator keeps state and is not thread-safe unless it says so.
 */
public interface Annotator {

    /** A short name for reports, e.g. {@code vader#3} or {@code length}. */
    String name();

    /** This annotator's score for {@code completion} as an answer to {@code prompt}; higher is better. */
    double score(String prompt, String completion);

    /**
     * Ranks the candidates best first: each is scored once, in index order, and the scores sorted
     * descending. Equal scores keep index order (the earlier candidate ranks higher), so a ranking is a
     * deterministic function of the scores; a NaN score is refused.
     *
     * @throws IllegalArgumentException fewer than 2 candidates, an empty candidate, or a NaN score
     */
    default RankedPreference rank(String prompt, List<String> candidates) {
        double[] s = new double[candidates.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = score(prompt, candidates.get(i));
            if (Double.isNaN(s[i])) {
                throw new IllegalArgumentException(name() + " scored candidate " + i + " NaN");
            }
        }
        return new RankedPreference(prompt, candidates, rankingOf(s));
    }

    /** Indices sorted by descending score, ties in index order (a stable sort). */
    static List<Integer> rankingOf(double[] scores) {
        List<Integer> order = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }

    /** Any Java function of (prompt, completion) as an annotator, named {@code function}. */
    static Annotator fromFunction(ToDoubleBiFunction<String, String> score) {
        return fromFunction("function", score);
    }

    /** Any Java function of (prompt, completion) as an annotator. */
    static Annotator fromFunction(String name, ToDoubleBiFunction<String, String> score) {
        if (name == null || score == null) {
            throw new IllegalArgumentException("name and score must not be null");
        }
        return new Annotator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double score(String prompt, String completion) {
                return score.applyAsDouble(prompt, completion);
            }
        };
    }

    /**
     * Prefers longer completions (score = the number of Unicode code points), the length bias that
     * people and reward models are known to show; {@code longer = false} prefers shorter ones.
     */
    static Annotator length(boolean longer) {
        return fromFunction(longer ? "length" : "brevity", (p, c) -> {
            int n = c.codePointCount(0, c.length());
            return longer ? n : -n;
        });
    }

    /**
     * Prefers completions that use the keywords: score = how many of the completion's words (lowercased,
     * split at characters that are neither letters, digits nor apostrophes) are among the keywords, so
     * each use counts. Keywords are single words, matched case-insensitively.
     */
    static Annotator keywords(Collection<String> keywords) {
        Set<String> set = keywords.stream().map(k -> k.strip().toLowerCase(Locale.ROOT))
                .filter(k -> !k.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (set.isEmpty()) {
            throw new IllegalArgumentException("keywords: give at least one non-blank keyword");
        }
        return fromFunction("keywords", (p, c) -> {
            int hits = 0;
            for (String w : c.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
                if (set.contains(w)) {
                    hits++;
                }
            }
            return hits;
        });
    }
}
