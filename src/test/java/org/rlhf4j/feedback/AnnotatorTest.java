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
    void tiesKeepIndexOrderAndNaNIsRefused() {
        Annotator same = Annotator.fromFunction((p, c) -> 1.0);
        assertEquals(List.of(0, 1, 2), same.rank("", List.of("c", "b", "a")).ranking());
        Annotator nan = Annotator.fromFunction("broken", (p, c) -> Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nan.rank("", List.of("a", "b")));
        assertEquals("broken scored candidate 0 NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> same.rank("", List.of("only one")));
    }

    @Test
    void rulesAndFunctionsRankByTheirScores() {
        List<String> c = List.of("ab", "abcd", "a😀");
        assertEquals(List.of(1, 0, 2), Annotator.length(true).rank("", c).ranking(), "code points, not chars: a😀 is 2");
        assertEquals(List.of(0, 2, 1), Annotator.length(false).rank("", c).ranking());
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
