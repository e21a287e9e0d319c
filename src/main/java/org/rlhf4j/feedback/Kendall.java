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
 *
 * <p>Scores, unlike rankings, tie: an annotator who scores two candidates equal has no preference between
 * them, and a ranking built from those scores orders the pair by chance. {@link #count} and {@link #tauB}
 * therefore compare two score vectors and count only the pairs both decide (score differently):
 * <ul>
 *   <li>agreement = concordant / (concordant + discordant), the pairs both decide; undefined (NaN) when
 *       they decide none in common;</li>
 *   <li>{@link #tauB}: Kendall's tau-b (Kendall, "The treatment of ties in ranking problems", Biometrika 33,
 *       1945), (C - D) / sqrt((n0 - n1)(n0 - n2)) with n0 = C(K,2) and n1, n2 the pairs tied in each
 *       vector. It is tau-a when neither vector ties, lies in [-1, 1], and is 1 for two vectors that order
 *       every pair alike and tie the same pairs; undefined (NaN) when either vector ties every pair.</li>
 * </ul>
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

    /**
     * How two score vectors of the same K candidates compare, pair by pair.
     *
     * @param concordant pairs both vectors order the same way (strictly)
     * @param discordant pairs both order strictly, but oppositely
     * @param tiedFirst  pairs the first vector scores equal (whatever the second does)
     * @param tiedSecond pairs the second vector scores equal (whatever the first does)
     * @param pairs      C(K,2)
     */
    public record Counts(long concordant, long discordant, long tiedFirst, long tiedSecond, long pairs) {

        /** The pairs both vectors decide: concordant + discordant. */
        public long decidedByBoth() {
            return concordant + discordant;
        }

        /** Kendall 1945, tau-b: (C - D) / sqrt((n0 - n1)(n0 - n2)); NaN when either vector ties every pair. */
        public double tauB() {
            long d1 = pairs - tiedFirst, d2 = pairs - tiedSecond;
            return d1 == 0 || d2 == 0 ? Double.NaN : (concordant - discordant) / Math.sqrt((double) d1 * d2);
        }
    }

    /** Pair-by-pair comparison of two score vectors (higher is better) of the same candidates. */
    public static Counts count(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("score vectors of the same K >= 2 candidates are needed, got sizes "
                    + a.length + " and " + b.length);
        }
        long c = 0, d = 0, t1 = 0, t2 = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                int sa = Double.compare(a[i], a[j]) == 0 || a[i] == a[j] ? 0 : a[i] > a[j] ? 1 : -1;
                int sb = Double.compare(b[i], b[j]) == 0 || b[i] == b[j] ? 0 : b[i] > b[j] ? 1 : -1;
                t1 += sa == 0 ? 1 : 0;
                t2 += sb == 0 ? 1 : 0;
                if (sa != 0 && sb != 0) {
                    if (sa == sb) {
                        c++;
                    } else {
                        d++;
                    }
                }
            }
        }
        return new Counts(c, d, t1, t2, pairs(a.length));
    }

    /** Kendall's tau-b of two score vectors ({@link Counts#tauB}). */
    public static double tauB(double[] a, double[] b) {
        return count(a, b).tauB();
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
