package org.rlhf4j.feedback;

import java.util.List;

/**
 * Agreement between two rankings of the same K candidates, each a best-first permutation of
 * {@code 0..K-1} as in {@link RankedPreference#ranking()}. Of the C(K,2) candidate pairs, a pair is
 * concordant when both rankings put the same candidate first, discordant otherwise (rankings have no
 * ties, so every pair is one or the other).
 * <ul>
 *   <li>{@link #pairAgreement}: concordant / C(K,2), in [0, 1];</li>
 *   <li>{@link #tauA}: Kendall's tau-a (M. G. Kendall, "A New Measure of Rank Correlation", Biometrika 30,
 *       1938), (concordant - discordant) / C(K,2), in [-1, 1]: 1 for the same ranking, -1 for its reverse.</li>
 * </ul>
 * Without ties the two carry the same information: tau-a = 2 * agreement - 1 for one pair of rankings.
 */
public final class Kendall {

    private Kendall() {
    }

    /** Kendall's tau-a of two rankings of the same candidates. */
    public static double tauA(List<Integer> a, List<Integer> b) {
        long pairs = pairs(a.size());
        long concordant = concordant(a, b);
        return (double) (concordant - (pairs - concordant)) / pairs; // Kendall 1938: (C - D) / (K(K-1)/2)
    }

    /** The fraction of candidate pairs that both rankings order the same way. */
    public static double pairAgreement(List<Integer> a, List<Integer> b) {
        return (double) concordant(a, b) / pairs(a.size());
    }

    /** The number of candidate pairs that both rankings order the same way. */
    public static long concordant(List<Integer> a, List<Integer> b) {
        int[] ra = positions(a, a.size()), rb = positions(b, a.size());
        long c = 0;
        for (int i = 0; i < ra.length; i++) {
            for (int j = i + 1; j < ra.length; j++) {
                if ((ra[i] < ra[j]) == (rb[i] < rb[j])) {
                    c++;
                }
            }
        }
        return c;
    }

    /** K(K-1)/2, the number of candidate pairs. */
    public static long pairs(int k) {
        return (long) k * (k - 1) / 2;
    }

    /** position[c] = the rank (0 = best) of candidate c; checks that the ranking is a permutation of 0..k-1. */
    static int[] positions(List<Integer> ranking, int k) {
        if (k < 2 || ranking.size() != k) {
            throw new IllegalArgumentException("rankings of the same K >= 2 candidates are needed, got sizes "
                    + k + " and " + ranking.size());
        }
        int[] position = new int[k];
        java.util.Arrays.fill(position, -1);
        for (int rank = 0; rank < k; rank++) {
            Integer c = ranking.get(rank);
            if (c == null || c < 0 || c >= k || position[c] >= 0) {
                throw new IllegalArgumentException("not a permutation of 0.." + (k - 1) + ": " + ranking);
            }
            position[c] = rank;
        }
        return position;
    }
}
