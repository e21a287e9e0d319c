package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.feedback.AnnotatorPanel.Aggregation;

/** A panel of VADER annotators on real sentences: noisy, but right more often than not, and more so together. */
class AnnotatorPanelTest {

    private static final VaderLexicon LEXICON = VaderLexicon.bundled();

    /** 150 items of 4 IMDb sentences each, drawn with a fixed seed. */
    private static List<Candidates> items() {
        List<String> texts = new ArrayList<>();
        UciSentences.load(UciSentences.Domain.IMDB).forEach(s -> texts.add(s.text()));
        Collections.shuffle(texts, new Random(1));
        List<Candidates> items = new ArrayList<>();
        for (int i = 0; i + 4 <= 600; i += 4) {
            items.add(new Candidates("Review the film:", texts.subList(i, i + 4)));
        }
        return items;
    }

    @Test
    void noisyAnnotatorsAgreeOftenButNotAlways() {
        AgreementReport r = AnnotatorPanel.vader(LEXICON, 5, 42).agreement(items());
        assertEquals(List.of("vader#0", "vader#1", "vader#2", "vader#3", "vader#4"), r.names());
        assertEquals(150, r.items());
        assertEquals(150 * 6, r.candidatePairs());
        assertTrue(r.pairwiseAgreement() > 0.7 && r.pairwiseAgreement() < 0.99, "agreement " + r.pairwiseAgreement());
        assertTrue(r.kendallTau() > 0.4 && r.kendallTau() < 0.98, "tau " + r.kendallTau());
        assertEquals(2 * r.pairwiseAgreement() - 1, r.kendallTau(), 1e-12, "same K for every item: tau-a = 2 agreement - 1");
        assertEquals(5, r.agreementWithTruth().size());
        for (double a : r.agreementWithTruth()) {
            assertTrue(a > 0.6 && a < 1, "each annotator is right more often than not, and not always: " + a);
        }
        assertTrue(r.truthTiedPairs() > 0 && r.truthTiedPairs() < 0.5, "pairs with no rated word difference: " + r.truthTiedPairs());
    }

    @Test
    void aPanelWithoutNoiseAgreesCompletely() {
        Annotator truth = VaderAnnotator.groundTruth(LEXICON);
        AgreementReport r = new AnnotatorPanel(List.of(truth, truth, truth), truth).agreement(items());
        assertEquals(1.0, r.pairwiseAgreement());
        assertEquals(1.0, r.kendallTau());
        assertEquals(List.of(1.0, 1.0, 1.0), r.agreementWithTruth());
        AgreementReport alone = new AnnotatorPanel(List.of(truth), null).agreement(items());
        assertTrue(Double.isNaN(alone.pairwiseAgreement()) && Double.isNaN(alone.kendallTau()));
        assertTrue(alone.agreementWithTruth().isEmpty() && Double.isNaN(alone.meanAgreementWithTruth()));
    }

    @Test
    void theMeanOfNineAnnotatorsIsCloserToTheTruthThanOneAnnotator() {
        List<Candidates> items = items();
        Annotator truth = VaderAnnotator.groundTruth(LEXICON);
        double single = agreementWithTruth(AnnotatorPanel.vader(LEXICON, 9, 7).label(items, Aggregation.ROUND_ROBIN), truth);
        double mean = agreementWithTruth(AnnotatorPanel.vader(LEXICON, 9, 7).label(items, Aggregation.MEAN), truth);
        double majority = agreementWithTruth(AnnotatorPanel.vader(LEXICON, 9, 7).label(items, Aggregation.MAJORITY), truth);
        assertTrue(mean > single + 0.03, "mean " + mean + " vs one annotator " + single);
        assertTrue(majority > single + 0.03, "majority " + majority + " vs one annotator " + single);
        AnnotatorPanel panel = AnnotatorPanel.vader(LEXICON, 9, 7);
        List<RankedPreference> labels = panel.label(items, Aggregation.MEAN);
        assertEquals(agreementWithTruth(labels, truth), panel.agreementWithTruth(labels).orElseThrow(), 1e-12);
        assertTrue(new AnnotatorPanel(List.of(truth), null).agreementWithTruth(labels).isEmpty());
    }

    @Test
    void roundRobinGivesItemIToAnnotatorIModN() {
        AnnotatorPanel panel = new AnnotatorPanel(List.of(Annotator.length(true), Annotator.length(false)), null);
        Candidates item = new Candidates("", List.of("short", "much longer"));
        List<RankedPreference> r = panel.label(List.of(item, item, item), Aggregation.ROUND_ROBIN);
        assertEquals(List.of(List.of(1, 0), List.of(0, 1), List.of(1, 0)), r.stream().map(RankedPreference::ranking).toList());
    }

    @Test
    void majorityFollowsTheMajorityAndACycleFallsBackToIndexOrder() {
        Candidates abc = new Candidates("", List.of("a", "b", "c"));
        Annotator abcOrder = fixed(Map.of("a", 3.0, "b", 2.0, "c", 1.0));
        Annotator cba = fixed(Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        AnnotatorPanel two = new AnnotatorPanel(List.of(abcOrder, abcOrder, cba), null);
        assertEquals(List.of(0, 1, 2), two.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
        AnnotatorPanel flipped = new AnnotatorPanel(List.of(cba, cba, abcOrder), null);
        assertEquals(List.of(2, 1, 0), flipped.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
        // a Condorcet cycle: a > b > c, b > c > a, c > a > b: every Copeland and Borda score ties
        AnnotatorPanel cycle = new AnnotatorPanel(List.of(abcOrder, fixed(Map.of("b", 3.0, "c", 2.0, "a", 1.0)),
                fixed(Map.of("c", 3.0, "a", 2.0, "b", 1.0))), null);
        assertEquals(List.of(0, 1, 2), cycle.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
        // b beats both a and c by a majority, though one annotator puts a first
        Annotator bac = fixed(Map.of("b", 3.0, "a", 2.0, "c", 1.0));
        AnnotatorPanel copeland = new AnnotatorPanel(List.of(abcOrder, bac, bac), null);
        assertEquals(List.of(1, 0, 2), copeland.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
    }

    @Test
    void panelsAreReproducibleAndTheirMembersDiffer() {
        List<Candidates> items = items().subList(0, 30);
        List<RankedPreference> a = AnnotatorPanel.vader(LEXICON, 3, 9).label(items, Aggregation.ROUND_ROBIN);
        assertEquals(a, AnnotatorPanel.vader(LEXICON, 3, 9).label(items, Aggregation.ROUND_ROBIN));
        assertNotEquals(a, AnnotatorPanel.vader(LEXICON, 3, 10).label(items, Aggregation.ROUND_ROBIN));
        List<Annotator> members = AnnotatorPanel.vader(LEXICON, 2, 9).annotators();
        String text = "good good good great bad sad ok lol fine nice";
        List<Double> first = new ArrayList<>(), second = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(members.get(0).score("", text));
            second.add(members.get(1).score("", text));
        }
        assertNotEquals(first, second, "members draw from their own streams");
        assertThrows(IllegalArgumentException.class, () -> AnnotatorPanel.vader(LEXICON, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new AnnotatorPanel(List.of(), null));
    }

    private static Annotator fixed(Map<String, Double> scores) {
        return Annotator.fromFunction((p, c) -> scores.get(c));
    }

    /** The fraction of candidate pairs the truth decides that the labels order the same way. */
    private static double agreementWithTruth(List<RankedPreference> labels, Annotator truth) {
        long agree = 0, decided = 0;
        for (RankedPreference r : labels) {
            int[] pos = Kendall.positions(r.ranking(), r.size());
            for (int x = 0; x < r.size(); x++) {
                for (int y = x + 1; y < r.size(); y++) {
                    double tx = truth.score("", r.completions().get(x)), ty = truth.score("", r.completions().get(y));
                    if (tx != ty) {
                        decided++;
                        agree += (pos[x] < pos[y]) == (tx > ty) ? 1 : 0;
                    }
                }
            }
        }
        return (double) agree / decided;
    }
}
