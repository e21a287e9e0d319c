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
        assertTrue(r.decidedByBoth() > 0.3 && r.decidedByBoth() < 1, "pairs both annotators decide: " + r.decidedByBoth());
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
    void majorityFollowsTheMajorityAndACycleIsLeftUndecided() {
        Candidates abc = new Candidates("", List.of("a", "b", "c"));
        Annotator abcOrder = fixed(Map.of("a", 3.0, "b", 2.0, "c", 1.0));
        Annotator cba = fixed(Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        AnnotatorPanel two = new AnnotatorPanel(List.of(abcOrder, abcOrder, cba), null);
        assertEquals(List.of(0, 1, 2), two.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
        AnnotatorPanel flipped = new AnnotatorPanel(List.of(cba, cba, abcOrder), null);
        assertEquals(List.of(2, 1, 0), flipped.label(List.of(abc), Aggregation.MAJORITY).get(0).ranking());
        // a Condorcet cycle: a > b > c, b > c > a, c > a > b: every Copeland and Borda score ties, no label
        AnnotatorPanel cycle = new AnnotatorPanel(List.of(abcOrder, fixed(Map.of("b", 3.0, "c", 2.0, "a", 1.0)),
                fixed(Map.of("c", 3.0, "a", 2.0, "b", 1.0))), null);
        AnnotatorPanel.Labels none = cycle.labelAll(List.of(abc), Aggregation.MAJORITY);
        assertEquals(List.of(), none.rankings());
        assertEquals(List.of(0), none.undecided());
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

    /** The reviewer's case: no candidate holds a rated word, so every annotator scores every candidate 0. */
    @Test
    void itemsWithoutARatedWordAreNeitherAgreementNorLabels() {
        List<Candidates> blank = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blank.add(new Candidates("q" + i, List.of("the whale " + i, "a ship " + i, "the sea " + i)));
        }
        AnnotatorPanel panel = AnnotatorPanel.vader(LEXICON, 5, 1);
        AgreementReport r = panel.agreement(blank);
        assertTrue(Double.isNaN(r.pairwiseAgreement()), "was 1.000: ties counted as agreement; " + r);
        assertTrue(Double.isNaN(r.kendallTau()), "was 1.000; " + r);
        assertEquals(0.0, r.decidedByBoth());
        assertTrue(Double.isNaN(r.meanAgreementWithTruth()));
        assertEquals(1.0, r.truthTiedPairs());
        for (Aggregation how : Aggregation.values()) {
            AnnotatorPanel.Labels labels = panel.labelAll(blank, how);
            assertEquals(List.of(), labels.rankings(), how + " wrote position-ordered rankings [0, 1, 2]");
            assertEquals(20, labels.undecided().size());
        }
    }

    /** Pairs one annotator ties do not count for or against agreement; pairs both decide do. */
    @Test
    void agreementCountsOnlyThePairsBothAnnotatorsDecide() {
        Candidates abc = new Candidates("", List.of("a", "b", "c"));
        Annotator strict = fixed(Map.of("a", 3.0, "b", 2.0, "c", 1.0));
        Annotator tiesTop = fixed(Map.of("a", 2.0, "b", 2.0, "c", 1.0)); // a = b, both above c
        AgreementReport r = new AnnotatorPanel(List.of(strict, tiesTop), strict).agreement(List.of(abc));
        assertEquals(1.0, r.pairwiseAgreement(), "(a,c) and (b,c) both decided and alike; (a,b) does not count");
        assertEquals(2.0 / 3, r.decidedByBoth(), 1e-12);
        assertEquals(2 / Math.sqrt(3 * 2), r.kendallTau(), 1e-12, "tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)) = 2 / sqrt(6)");
        assertEquals(List.of(1.0, 2.5 / 3), r.agreementWithTruth(), "against the truth, a tie counts 1/2: (2 + 1/2) / 3");
        Annotator reversed = fixed(Map.of("a", 1.0, "b", 1.0, "c", 3.0));
        AgreementReport against = new AnnotatorPanel(List.of(strict, reversed), null).agreement(List.of(abc));
        assertEquals(0.0, against.pairwiseAgreement());
    }

    /** Partial ties are broken by the annotator's generator: across many items, no position is favoured. */
    @Test
    void tiesAreBrokenAtRandomNotByPosition() {
        Annotator twoTie = Annotator.fromFunction("tie", (p, c) -> c.startsWith("x") ? 0 : 1); // "y.." candidates tie on top
        List<Candidates> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            items.add(new Candidates("p" + i, List.of("y" + i, "y" + i + "!", "x" + i)));
        }
        List<RankedPreference> labels = new AnnotatorPanel(List.of(twoTie), null).label(items, Aggregation.ROUND_ROBIN);
        assertEquals(400, labels.size());
        long firstOnTop = labels.stream().filter(r -> r.ranking().get(0) == 0).count();
        assertTrue(firstOnTop > 150 && firstOnTop < 250, "index order would put candidate 0 first every time: " + firstOnTop);
        labels.forEach(r -> assertEquals(2, r.ranking().get(2), "the strictly worse candidate stays last"));
        assertEquals(labels, new AnnotatorPanel(List.of(twoTie), null).label(items, Aggregation.ROUND_ROBIN), "reproducible");
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
