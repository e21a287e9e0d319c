package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.tensor.check.GradCheck;

/** Known answers and gradients of {@link RewardLosses}. */
class RewardLossesTest {

    @Test
    void pairsOfARankingBestFirst() {
        assertArrayEquals(new int[][] {{2, 0}, {2, 1}, {0, 1}}, RewardLosses.pairs(new int[] {2, 0, 1}));
        assertEquals(6, RewardLosses.pairs(new int[] {3, 1, 0, 2}).length);
        assertThrows(IllegalArgumentException.class, () -> RewardLosses.pairs(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> RewardLosses.pairs(new int[] {0, 0}));
    }

    @Test
    void knownAnswer() {
        // -log sigma(1) = log(1 + e^-1) = 0.31326168751822286
        assertEquals(0.31326168751822286, RewardLosses.pairwise(1.5, 0.5, 0, 0), 1e-15);
        // with margin 1: -log sigma(0) = log 2; centering 0.5 * (1.5 + 0.5)^2 = 2
        assertEquals(Math.log(2) + 2, RewardLosses.pairwise(1.5, 0.5, 1, 0.5), 1e-15);
    }

    @Test
    void batchGradientsMatchDoubleFiniteDifferences() {
        int[][] rankings = {{1, 0}, {2, 0, 3, 1}, {0, 2, 1}};
        float[] r = {0.3f, -0.7f, 1.2f, 0.1f, -0.4f, 0.9f, 0.5f, -1.1f, 0.2f};
        float m = 0.25f, c = 0.05f;
        Tensor rewards = Tensor.of(r, r.length).requiresGrad(true);
        GradCheck.Report report = GradCheck.check("reward batch loss",
                in -> RewardLosses.batch(in[0], rankings, m, c),
                x -> new double[] {reference(x[0], rankings, m, c)}, 7, rewards);
        assertTrue(report.worstGradient() <= 1, report.toString());
    }

    /** The batch loss written out in double: mean over rankings of the mean over their pairs. */
    private static double reference(double[] r, int[][] rankings, double m, double c) {
        double total = 0;
        int offset = 0;
        for (int[] ranking : rankings) {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < ranking.length; i++) {
                for (int j = i + 1; j < ranking.length; j++) {
                    double w = r[offset + ranking[i]], l = r[offset + ranking[j]];
                    sum += Math.log1p(Math.exp(-(w - l - m))) + c * (w + l) * (w + l);
                    pairs++;
                }
            }
            total += sum / pairs / rankings.length;
            offset += ranking.length;
        }
        return total;
    }

    @Test
    void pairStatsCountTiesAsWrong() {
        RewardLosses.PairStats s = RewardLosses.pairStats(new float[] {1, 0, 2, 2}, new int[][] {{0, 1}, {1, 0}});
        assertEquals(2, s.pairs());
        assertEquals(1, s.correct());
        assertEquals(0.5, s.accuracy());
        assertEquals(0.5, s.meanMargin(), 1e-12);
    }
}
