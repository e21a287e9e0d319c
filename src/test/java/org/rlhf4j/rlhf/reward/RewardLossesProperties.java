package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.testing.PreferenceInvariants;
import org.rlhf4j.testing.RlhfArbitraries;

/** The Bradley-Terry maths of {@link RewardLosses}: the properties issue 4 and RLHF.md name. */
class RewardLossesProperties {

    /** Float tape against the double reference: a few ulps of values of order 1..50. */
    private static final double TOL = 1e-5;

    @Property(tries = 300)
    void lossFallsAsTheMarginBetweenChosenAndRejectedGrows(@ForAll @DoubleRange(min = -20, max = 20) double d,
                                                           @ForAll @DoubleRange(min = 0.01, max = 5) double step,
                                                           @ForAll @DoubleRange(min = 0, max = 2) double m) {
        // -log sigma(d - m) is strictly decreasing in d = r_w - r_l
        PreferenceInvariants.assertFallsAsTheLeadGrows((w, l) -> RewardLosses.pairwise(w, l, m, 0), d, step, true);
        // and a larger required margin m makes the same pair cost more
        assertTrue(RewardLosses.pairwise(d, 0, m + step, 0) > RewardLosses.pairwise(d, 0, m, 0));
        // the float tensor version may saturate to equal values far out, never rise
        PreferenceInvariants.assertFallsAsTheLeadGrows((w, l) -> RewardLosses.pairwise(Tensor.vector((float) w),
                Tensor.vector((float) l), (float) m, 0f).item(), d, step, false);
    }

    @Property(tries = 200)
    void aTieCostsLog2(@ForAll @DoubleRange(min = -30, max = 30) double r) {
        PreferenceInvariants.assertTieCostsLog2(PreferenceInvariants.REWARD_LOSSES_DOUBLE, r, 1e-12);
        PreferenceInvariants.assertTieCostsLog2(PreferenceInvariants.REWARD_LOSSES_TENSOR, r, 1e-6);
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
        PreferenceInvariants.assertRankedIsMeanOfPairwise(
                (rewards, rk) -> RewardLosses.ranked(Tensor.of(rewards.clone(), K), rk, (float) m, (float) c).item(),
                (w, l) -> RewardLosses.pairwise(w, l, (float) m, (float) c), r, ranking);
    }

    /** The same over generated rankings and rewards, without margin or centering. */
    @Property(tries = 200)
    void aKWayLossIsTheMeanOfItsPairwiseLossesOverGeneratedRankings(@ForAll("rankedRewards") Tuple.Tuple2<int[], float[]> rr) {
        PreferenceInvariants.assertRankedIsMeanOfPairwise(PreferenceInvariants.REWARD_LOSSES_RANKED,
                PreferenceInvariants.REWARD_LOSSES_DOUBLE, rr.get2(), rr.get1());
    }

    @Provide
    Arbitrary<Tuple.Tuple2<int[], float[]>> rankedRewards() {
        return RlhfArbitraries.rankings(9).flatMap(ranking -> RlhfArbitraries.rewards(ranking.length)
                .map(r -> Tuple.of(ranking, r)));
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
