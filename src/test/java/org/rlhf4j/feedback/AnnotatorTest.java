package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The simulated annotators: VADER draws come from real ratings; rules and functions rank as they score. */
class AnnotatorTest {

    private static final VaderLexicon LEXICON = VaderLexicon.bundled();

    @Test
    void aVaderDrawIsOneOfTheRealRatingsAndAveragesToTheirMean() {
        // "good": [2, 1, 1, 3, 2, 4, 2, 2, 1, 1], mean 1.9, population std 0.94
        VaderAnnotator a = new VaderAnnotator(LEXICON, 11);
        Set<Double> seen = new TreeSet<>();
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double s = a.score("", "Good.");
            seen.add(s);
            sum += s;
        }
        assertEquals(Set.of(1.0, 2.0, 3.0, 4.0), seen, "exactly the values real raters gave");
        assertEquals(1.9, sum / n, 5 * 0.94 / Math.sqrt(n), "five standard errors");
        for (int i = 0; i < 200; i++) {
            double two = a.score("", "good, GOOD");
            assertTrue(two >= 2 && two <= 8, "a sum of two draws: " + two);
        }
        assertEquals(0, a.score("", "Call me Ishmael"), "no rated word, score 0");
    }

    @Test
    void theSameSeedDrawsTheSameAndAnotherSeedDoesNot() {
        String text = "ok, this is good but the ending was sad and a bit boring; lol";
        List<Double> a = scores(new VaderAnnotator(LEXICON, 5), text), b = scores(new VaderAnnotator(LEXICON, 5), text);
        assertEquals(a, b);
        assertNotEquals(a, scores(new VaderAnnotator(LEXICON, 6), text));
    }

    @Test
    void groundTruthSumsTheMeanRatings() {
        Annotator truth = VaderAnnotator.groundTruth(LEXICON);
        assertEquals(1.9 + 3.2, truth.score("", "a good movie, I love it"), 1e-12);
        assertEquals(-2.0, truth.score("", "I can't stand it"), 1e-12, "the phrase, not can't + stand");
        RankedPreference r = truth.rank("review:", List.of("bad", "great", "whale"));
        assertEquals(List.of(1, 2, 0), r.ranking(), "great 3.1 > whale 0 > bad -2.5");
        assertEquals("review:", r.prompt());
        assertEquals("mean-ratings", truth.name());
    }

    @Test
    void tiesAreBrokenReproduciblyAtRandomAndNaNIsRefused() {
        Annotator same = Annotator.fromFunction((p, c) -> 1.0);
        java.util.Set<List<Integer>> seen = new java.util.HashSet<>();
        for (int i = 0; i < 60; i++) {
            List<String> c = List.of("c" + i, "b" + i, "a" + i);
            List<Integer> r = same.rank("", c).ranking();
            assertEquals(r, same.rank("", c).ranking(), "a stateless annotator breaks the same item's ties the same way");
            seen.add(r);
        }
        assertEquals(6, seen.size(), "every order of 3 tied candidates turns up, not index order every time");
        assertTrue(Annotator.allTied(new double[] {1, 1, 1}) && !Annotator.allTied(new double[] {1, 1, 2}));
        org.rlhf4j.tensor.Generator g = new org.rlhf4j.tensor.Generator(3);
        assertEquals(List.of(2, 1, 0), Annotator.rankingOf(new double[] {1, 2, 3}, g));
        assertEquals(0, g.counter(), "no draw without a tie");
        Annotator nan = Annotator.fromFunction("broken", (p, c) -> Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nan.rank("", List.of("a", "b")));
        assertEquals("broken scored candidate 0 NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> same.rank("", List.of("only one")));
    }

    @Test
    void rulesAndFunctionsRankByTheirScores() {
        List<String> c = List.of("ab", "abcd", "a😀");
        assertEquals(List.of(2.0, 4.0, 2.0), java.util.Arrays.stream(Annotator.length(true).scores("", c)).boxed().toList(),
                "code points, not chars: a😀 is 2");
        List<Integer> longest = Annotator.length(true).rank("", c).ranking(), shortest = Annotator.length(false).rank("", c).ranking();
        assertEquals(1, longest.get(0));
        assertEquals(java.util.Set.of(0, 2), java.util.Set.copyOf(longest.subList(1, 3)), "ab and a😀 tie, in either order");
        assertEquals(1, shortest.get(2));
        Annotator whale = Annotator.keywords(List.of(" Whale ", "ahab"));
        assertEquals(2, whale.score("", "The whale, the WHALE!"));
        assertEquals(0, whale.score("", "whales"), "whole words only");
        assertEquals(0, whale.score("", "Ahab's"), "the apostrophe stays in the word: ahab's is not ahab");
        assertEquals(1, whale.score("", "Ahab!"));
        assertEquals(List.of(2, 0, 1), whale.rank("", List.of("a whale", "none", "Ahab and the whale")).ranking());
        assertThrows(IllegalArgumentException.class, () -> Annotator.keywords(List.of(" ")));
        Annotator prompted = Annotator.fromFunction("echo", (p, comp) -> comp.contains(p) ? 1 : 0);
        assertEquals(List.of(1, 0), prompted.rank("sea", List.of("land", "the sea")).ranking(), "the prompt reaches the function");
    }

    private static List<Double> scores(Annotator a, String text) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(a.score("", text));
        }
        return out;
    }
}
