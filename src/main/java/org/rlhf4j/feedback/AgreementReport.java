package org.rlhf4j.feedback;

import java.util.List;

/**
 * How much a panel's annotators agree, on a set of items each of which every annotator ranked
 * ({@link AnnotatorPanel#agreement}). All agreements are fractions of candidate pairs, pooled over items
 * (an item of K candidates contributes C(K,2) pairs). Between annotators, only the pairs both decide
 * count: a pair that either scores equal has no order to agree on (two annotators who find nothing to
 * prefer have not agreed; counting such pairs once reported 1.000 for items with no rated word at all).
 *
 * @param names                the annotators, in panel order
 * @param items                the number of items ranked
 * @param candidatePairs       the candidate pairs per annotator, summed over items
 * @param pairwiseAgreement    mean over annotator pairs of the fraction of the candidate pairs both
 *                             decide (score differently) that both order the same way; NaN with fewer
 *                             than 2 annotators, or when no two annotators decide a pair in common
 * @param kendallTau           mean over annotator pairs of Kendall's tau-b between their scores
 *                             ({@link Kendall#tauB}), averaged over the items where it is defined (both
 *                             annotators decide some pair); NaN with fewer than 2 annotators or no such item
 * @param agreementWithTruth   per annotator, the fraction of the pairs the ground truth decides (scores
 *                             differently) that the annotator orders as the truth does; a pair the
 *                             annotator scores equal counts 1/2, the chance that the random order its
 *                             ranking gives such a pair is right (so an annotator is measured as its
 *                             labels would be, and comparably with any other ranker); NaN when the truth
 *                             decides no pair; empty without a ground truth
 * @param truthTiedPairs       the fraction of candidate pairs the ground truth scores equal (these have
 *                             no right answer and are left out of {@code agreementWithTruth}); NaN
 *                             without a ground truth
 * @param decidedByBoth        mean over annotator pairs of the fraction of candidate pairs both decide:
 *                             the share of pairs {@code pairwiseAgreement} stands on; NaN with fewer than
 *                             2 annotators
 */
public record AgreementReport(List<String> names, int items, long candidatePairs, double pairwiseAgreement,
                              double kendallTau, List<Double> agreementWithTruth, double truthTiedPairs,
                              double decidedByBoth) {

    public AgreementReport {
        names = List.copyOf(names);
        agreementWithTruth = List.copyOf(agreementWithTruth);
    }

    /** The mean of {@link #agreementWithTruth()} over the annotators with a value; NaN if none has one. */
    public double meanAgreementWithTruth() {
        return agreementWithTruth.stream().mapToDouble(Double::doubleValue).filter(a -> !Double.isNaN(a))
                .average().orElse(Double.NaN);
    }
}
