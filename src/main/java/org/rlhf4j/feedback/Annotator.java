package org.rlhf4j.feedback;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Collectors;
import org.rlhf4j.tensor.Generator;

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
     * This annotator's scores of the candidates, each scored once, in index order.
     *
     * @throws IllegalArgumentException fewer than 2 candidates, or a NaN score
     */
    default double[] scores(String prompt, List<String> candidates) {
        if (candidates.size() < 2) {
            throw new IllegalArgumentException("ranking needs at least 2 candidates, got " + candidates.size());
        }
        double[] s = new double[candidates.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = score(prompt, candidates.get(i));
            if (Double.isNaN(s[i])) {
                throw new IllegalArgumentException(name() + " scored candidate " + i + " NaN");
            }
        }
        return s;
    }

    /**
     * The generator that breaks this annotator's ties when it ranks these candidates. An annotator with a
     * seeded generator of its own returns it ({@link VaderAnnotator} does). The default, for stateless
     * annotators, is a fresh generator seeded from the name, prompt and candidates: reproducible, and a
     * different draw for every item, so no position is favoured across items.
     */
    default Generator tieBreaker(String prompt, List<String> candidates) {
        long h = name().hashCode();
        h = 31 * h + prompt.hashCode();
        h = 31 * h + candidates.hashCode();
        return new Generator(Draws.derive(h, 0));
    }

    /**
     * Ranks the candidates best first: {@link #scores}, sorted descending; candidates scored equal are put
     * in a random order drawn from {@link #tieBreaker}, never by position (a stable sort would rank the
     * earlier candidate higher every time, and teach a reward model the order candidates came in). Even
     * when every score is equal a ranking is returned, a uniformly random one: callers that write labels
     * skip such items ({@link #allTied}; {@link AnnotatorPanel#labelAll} does).
     *
     * @throws IllegalArgumentException fewer than 2 candidates, an empty candidate, or a NaN score
     */
    default RankedPreference rank(String prompt, List<String> candidates) {
        double[] s = scores(prompt, candidates);
        return new RankedPreference(prompt, candidates, rankingOf(s, tieBreaker(prompt, candidates)));
    }

    /**
     * Indices sorted by descending score, ties in index order (a stable sort). For scores that do not tie
     * in practice (a reward model's floats); an annotator's ranking breaks ties at random
     * ({@link #rankingOf(double[], Generator)}).
     */
    static List<Integer> rankingOf(double[] scores) {
        List<Integer> order = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }

    /**
     * Indices sorted by descending score; each run of equal scores is shuffled with {@code ties}
     * (Fisher-Yates). No draw is taken when nothing ties, so an annotator's stream of draws is the same as
     * without tie-breaking on items without ties.
     */
    static List<Integer> rankingOf(double[] scores, Generator ties) {
        List<Integer> order = rankingOf(scores);
        for (int from = 0; from < order.size(); ) {
            int to = from + 1;
            while (to < order.size() && scores[order.get(to)] == scores[order.get(from)]) {
                to++;
            }
            if (to - from > 1) {
                Draws.shuffle(order.subList(from, to), ties);
            }
            from = to;
        }
        return order;
    }

    /** Every score equal: the scorer has no preference at all among these candidates. */
    static boolean allTied(double[] scores) {
        for (double s : scores) {
            if (s != scores[0]) {
                return false;
            }
        }
        return true;
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
