package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Kendall's tau-a and pair agreement on random rankings, and the panel on random items: the laws a
 * report of agreement must obey, checked against the textbook formula.
 */
class KendallProperties {

    @Property(tries = 500)
    void tauIsOneWithItselfMinusOneWithItsReverseAndSymmetric(@ForAll("rankings") List<Integer> a, @ForAll long seed) {
        List<Integer> reversed = new ArrayList<>(a);
        Collections.reverse(reversed);
        List<Integer> b = shuffled(a, seed);
        assertEquals(1.0, Kendall.tauA(a, a));
        assertEquals(-1.0, Kendall.tauA(a, reversed));
        assertEquals(Kendall.tauA(a, b), Kendall.tauA(b, a));
        double agreement = Kendall.pairAgreement(a, b);
        assertTrue(agreement >= 0 && agreement <= 1, "agreement " + agreement);
        assertEquals(2 * agreement - 1, Kendall.tauA(a, b), 1e-12);
        assertEquals(textbookTau(a, b), Kendall.tauA(a, b), 1e-12);
    }

    @Property(tries = 300)
    void renamingTheCandidatesChangesNothing(@ForAll("rankings") List<Integer> a, @ForAll long s1, @ForAll long s2) {
        List<Integer> b = shuffled(a, s1);
        List<Integer> rename = shuffled(a, s2); // candidate c becomes rename.get(c)
        List<Integer> ra = a.stream().map(rename::get).toList(), rb = b.stream().map(rename::get).toList();
        assertEquals(Kendall.tauA(a, b), Kendall.tauA(ra, rb), 1e-12);
    }

    @Property(tries = 100)
    void aPanelWithoutNoiseAgreesCompletely(@ForAll("items") List<Candidates> items, @ForAll @IntRange(min = 2, max = 6) int n) {
        Annotator truth = Annotator.length(true);
        AgreementReport r = new AnnotatorPanel(Collections.nCopies(n, truth), truth).agreement(items);
        boolean anyDecided = r.decidedByBoth() > 0; // candidates of equal length tie: no pair to agree on
        assertEquals(anyDecided ? 1.0 : Double.NaN, r.pairwiseAgreement());
        assertEquals(anyDecided ? 1.0 : Double.NaN, r.kendallTau(), 1e-12);
        for (double a : r.agreementWithTruth()) {
            assertTrue(a == 1.0 || Double.isNaN(a), "NaN only when the truth decides no pair: " + a);
        }
    }

    @Property(tries = 100)
    void noisyAgreementsStayInTheirRanges(@ForAll("items") List<Candidates> items, @ForAll long seed) {
        Random random = new Random(seed);
        List<Annotator> noisy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            noisy.add(Annotator.fromFunction((p, c) -> c.length() + 3 * random.nextGaussian()));
        }
        AgreementReport r = new AnnotatorPanel(noisy, Annotator.length(true)).agreement(items);
        assertTrue(r.pairwiseAgreement() >= 0 && r.pairwiseAgreement() <= 1);
        assertTrue(r.kendallTau() >= -1 && r.kendallTau() <= 1 + 1e-12);
        for (double a : r.agreementWithTruth()) {
            assertTrue(Double.isNaN(a) || (a >= 0 && a <= 1));
        }
        assertTrue(r.truthTiedPairs() >= 0 && r.truthTiedPairs() <= 1);
    }

    /** Kendall 1938: tau = sum over i < j of sign(a_i - a_j) sign(b_i - b_j) / (K(K-1)/2), on positions. */
    private static double textbookTau(List<Integer> a, List<Integer> b) {
        int k = a.size();
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                sum += Math.signum(a.indexOf(i) - a.indexOf(j)) * Math.signum(b.indexOf(i) - b.indexOf(j));
            }
        }
        return sum / (k * (k - 1) / 2.0);
    }

    private static List<Integer> shuffled(List<Integer> a, long seed) {
        List<Integer> b = new ArrayList<>(a);
        Collections.shuffle(b, new Random(seed));
        return b;
    }

    @Provide
    Arbitrary<List<Integer>> rankings() {
        return Arbitraries.integers().between(2, 12).flatMap(k -> Arbitraries.longs().map(seed -> {
            List<Integer> r = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                r.add(i);
            }
            Collections.shuffle(r, new Random(seed));
            return r;
        }));
    }

    @Provide
    Arbitrary<List<Candidates>> items() {
        Arbitrary<String> text = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        return text.list().ofMinSize(2).ofMaxSize(5).map(c -> new Candidates("", c)).list().ofMinSize(1).ofMaxSize(10);
    }
}
