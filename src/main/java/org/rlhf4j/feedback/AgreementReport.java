package org.rlhf4j.feedback;

import java.util.List;

/**
 * How much a panel's annotators agree, on a set of items each of which every annotator ranked
 * ({@link AnnotatorPanel#agreement}). All agreements are fractions of candidate pairs, pooled over items
 * (an item of K candidates contributes C(K,2) pairs), counted only over the pairs both sides decide: a
 * pair that either side scores equal has no order to agree on (two annotators who find nothing to prefer
 * have not agreed; counting such pairs once reported 1.000 for items with no rated word at all).
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
 * @param agreementWithTruth   per annotator, the fraction of the pairs both the ground truth and the
 *                             annotator decide that the annotator orders as the truth does; NaN for an
 *                             annotator who decides none of them; empty without a ground truth
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
