package org.rlhf4j.feedback;

import java.util.List;

/**
 * How much a panel's annotators agree, on a set of items each of which every annotator ranked
 * ({@link AnnotatorPanel#agreement}). All agreements are fractions of candidate pairs, pooled over items
 * (an item of K candidates contributes C(K,2) pairs).
 *
 * @param names                the annotators, in panel order
 * @param items                the number of items ranked
 * @param candidatePairs       the candidate pairs per annotator, summed over items
 * @param pairwiseAgreement    mean over annotator pairs of the fraction of candidate pairs both order the
 *                             same way; NaN with fewer than 2 annotators
 * @param kendallTau           mean over annotator pairs and items of Kendall's tau-a between their
 *                             rankings ({@link Kendall#tauA}); NaN with fewer than 2 annotators
 * @param agreementWithTruth   per annotator, the fraction of the pairs the ground truth decides (scores
 *                             them differently) that the annotator orders as the truth does; empty
 *                             without a ground truth
 * @param truthTiedPairs       the fraction of candidate pairs the ground truth scores equal (these have
 *                             no right answer and are left out of {@code agreementWithTruth}); NaN
 *                             without a ground truth
 */
public record AgreementReport(List<String> names, int items, long candidatePairs, double pairwiseAgreement,
                              double kendallTau, List<Double> agreementWithTruth, double truthTiedPairs) {

    public AgreementReport {
        names = List.copyOf(names);
        agreementWithTruth = List.copyOf(agreementWithTruth);
    }

    /** The mean of {@link #agreementWithTruth()}; NaN without a ground truth. */
    public double meanAgreementWithTruth() {
        return agreementWithTruth.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
