package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.rlhf4j.tensor.Tensor;

/** The Bradley-Terry maths of {@link RewardLosses}: the properties issue 4 and RLHF.md name. */
class RewardLossesProperties {

    /** Float tape against the double reference: a few ulps of values of order 1..50. */
    private static final double TOL = 1e-5;

    @Property(tries = 300)
    void lossFallsAsTheMarginBetweenChosenAndRejectedGrows(@ForAll @DoubleRange(min = -20, max = 20) double d,
                                                           @ForAll @DoubleRange(min = 0.01, max = 5) double step,
                                                           @ForAll @DoubleRange(min = 0, max = 2) double m) {
        // -log sigma(d - m) is strictly decreasing in d = r_w - r_l
        double before = RewardLosses.pairwise(d, 0, m, 0), after = RewardLosses.pairwise(d + step, 0, m, 0);
        assertTrue(after < before, d + " -> " + (d + step) + ": " + before + " -> " + after);
        // and a larger required margin m makes the same pair cost more
        assertTrue(RewardLosses.pairwise(d, 0, m + step, 0) > before);
        float t1 = RewardLosses.pairwise(Tensor.vector((float) d), Tensor.vector(0f), (float) m, 0f).item();
        float t2 = RewardLosses.pairwise(Tensor.vector((float) (d + step)), Tensor.vector(0f), (float) m, 0f).item();
        assertTrue(t2 <= t1, "tensor version: " + t1 + " -> " + t2);
    }

    @Property(tries = 200)
    void aTieCostsLog2(@ForAll @DoubleRange(min = -30, max = 30) double r) {
        assertEquals(Math.log(2), RewardLosses.pairwise(r, r, 0, 0), 1e-12);
        float t = RewardLosses.pairwise(Tensor.vector((float) r), Tensor.vector((float) r), 0f, 0f).item();
        assertEquals(Math.log(2), t, 1e-6);
    }

    @Property(tries = 200)
    void theLossIsFiniteForExtremeRewards(@ForAll @DoubleRange(min = -1e4, max = 1e4) double rw,
                                          @ForAll @DoubleRange(min = -1e4, max = 1e4) double rl) {
        float t = RewardLosses.pairwise(Tensor.vector((float) rw), Tensor.vector((float) rl), 0f, 0f).item();
        assertTrue(Float.isFinite(t) && t >= 0, rw + ", " + rl + " -> " + t);
        assertEquals(RewardLosses.pairwise(rw, rl, 0, 0), t, 1e-4 * (1 + Math.abs(rw - rl)));
    }

    @Property(tries = 200)
    void centeringAddsCTimesTheSquaredSum(@ForAll @DoubleRange(min = -5, max = 5) double rw,
                                          @ForAll @DoubleRange(min = -5, max = 5) double rl,
                                          @ForAll @DoubleRange(min = 0, max = 1) double c) {
        double plain = RewardLosses.pairwise(rw, rl, 0, 0);
        assertEquals(plain + c * (rw + rl) * (rw + rl), RewardLosses.pairwise(rw, rl, 0, c), 1e-12);
        float t = RewardLosses.pairwise(Tensor.vector((float) rw), Tensor.vector((float) rl), 0f, (float) c).item();
        assertEquals(RewardLosses.pairwise((float) rw, (float) rl, 0, (float) c), t, TOL * (1 + Math.abs(t)));
    }

    @Property(tries = 200)
    void aKWayLossIsTheMeanOfItsPairwiseLosses(@ForAll @IntRange(min = 2, max = 9) int K, @ForAll long seed,
                                               @ForAll @DoubleRange(min = 0, max = 1) double m,
                                               @ForAll @DoubleRange(min = 0, max = 0.1) double c) {
        Random rnd = new Random(seed);
        float[] r = rewards(rnd, K);
        int[] ranking = permutation(rnd, K);
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < K; i++) {
            for (int j = i + 1; j < K; j++) { // rank i beats rank j
                sum += RewardLosses.pairwise(r[ranking[i]], r[ranking[j]], m, c);
                pairs++;
            }
        }
        assertEquals(K * (K - 1) / 2, pairs);
        float t = RewardLosses.ranked(Tensor.of(r, K), ranking, (float) m, (float) c).item();
        assertEquals(sum / pairs, t, TOL * (1 + Math.abs(t)));
    }

    @Property(tries = 200)
    void permutingTheCompletionsWithTheirRankingChangesNothing(@ForAll @IntRange(min = 2, max = 8) int K,
                                                               @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] r = rewards(rnd, K);
        int[] ranking = permutation(rnd, K);
        int[] perm = permutation(rnd, K); // completion i moves to position perm[i]
        float[] moved = new float[K];
        int[] movedRanking = new int[K];
        for (int i = 0; i < K; i++) {
            moved[perm[i]] = r[i];
        }
        for (int k = 0; k < K; k++) {
            movedRanking[k] = perm[ranking[k]];
        }
        float a = RewardLosses.ranked(Tensor.of(r, K), ranking, 0.1f, 0.01f).item();
        float b = RewardLosses.ranked(Tensor.of(moved, K), movedRanking, 0.1f, 0.01f).item();
        assertEquals(a, b, TOL * (1 + Math.abs(a)), "the same preferences in another order");
        RewardLosses.PairStats sa = RewardLosses.pairStats(r, new int[][] {ranking});
        RewardLosses.PairStats sb = RewardLosses.pairStats(moved, new int[][] {movedRanking});
        assertEquals(sa.correct(), sb.correct());
        assertEquals(sa.marginSum(), sb.marginSum(), 1e-9);
    }

    @Property(tries = 100)
    void aBatchIsTheMeanOverItsRankingsWhateverTheirSizes(@ForAll long seed) {
        Random rnd = new Random(seed);
        int G = 1 + rnd.nextInt(5);
        int[][] rankings = new int[G][];
        List<Float> all = new ArrayList<>();
        double expected = 0;
        for (int g = 0; g < G; g++) {
            int K = 2 + rnd.nextInt(5);
            float[] r = rewards(rnd, K);
            rankings[g] = permutation(rnd, K);
            expected += RewardLosses.ranked(Tensor.of(r, K), rankings[g], 0f, 0f).item() / G;
            for (float v : r) {
                all.add(v);
            }
        }
        float[] flat = new float[all.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = all.get(i);
        }
        float t = RewardLosses.batch(Tensor.of(flat, flat.length), rankings, 0f, 0f).item();
        assertEquals(expected, t, TOL * (1 + Math.abs(t)));
    }

    static float[] rewards(Random rnd, int K) {
        float[] r = new float[K];
        for (int i = 0; i < K; i++) {
            r[i] = (float) (3 * rnd.nextGaussian());
        }
        return r;
    }

    static int[] permutation(Random rnd, int K) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < K; i++) {
            p.add(i);
        }
        Collections.shuffle(p, rnd);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }
}
