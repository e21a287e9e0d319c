package org.rlhf4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.Gae;
import org.rlhf4j.rlhf.MaskedStats;
import org.rlhf4j.rlhf.ppo.PpoLosses;
import org.rlhf4j.tensor.Tensor;

/**
 * The kit's checks must be able to fail: each is run on a planted wrong implementation (the slips the
 * invariants are meant to catch) and must throw, and on rlhf4j's own and must pass.
 */
class KitCanFailTest {

    // ---- gradients -----------------------------------------------------------------------------------

    /** x^3 summed, with a hand-written backward {@code factor * x^2} (3 is right). */
    private static Tensor cube(Tensor x, float factor) {
        Tensor detached = x.detach();
        // forward value x^3; gradient factor * x^2, by x * stop(factor x^2 / 1) + stop(x^3 - x * factor x^2)
        Tensor slope = detached.mul(detached).scale(factor);
        Tensor value = detached.mul(detached).mul(detached);
        return x.mul(slope).add(value.sub(detached.mul(slope)));
    }

    private static double[] cubeReference(double[]... x) {
        double[] y = new double[x[0].length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[0][i] * x[0][i] * x[0][i];
        }
        return y;
    }

    private static Tensor input() {
        return Tensor.of(new float[] {-1.3f, 0.4f, 0.9f, 1.7f, -0.6f, 2.1f}, 2, 3).requiresGrad(true);
    }

    @Test
    void aRightGradientPassesInBothModes() {
        GradientCheck.of(in -> cube(in[0], 3f)).inputs(input()).reference(KitCanFailTest::cubeReference).check();
        GradientCheck.Report r = GradientCheck.of(in -> cube(in[0], 3f)).inputs(input()).check();
        assertTrue(r.checked() == 6 && r.worstRatio() <= 1, r.toString());
        GradientCheck.of(in -> cube(in[0], 3f)).inputs(input()).directions(5).check();
        GradientCheck.of(in -> cube(in[0], 3f)).inputs(input()).reference(KitCanFailTest::cubeReference).directions(5).check();
    }

    @Test
    void aWrongGradientIsCaughtInEveryMode() {
        // the classic slip d x^3 = 2 x^2
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradientCheck.of(in -> cube(in[0], 2f)).inputs(input()).name("cube").check());
        assertTrue(e.getMessage().startsWith("cube: 6 of 6 gradient elements")
                && e.getMessage().contains("worst input 0 [2, 3] at ["), e.getMessage());
        assertThrows(AssertionError.class, () -> GradientCheck.of(in -> cube(in[0], 2f)).inputs(input())
                .reference(KitCanFailTest::cubeReference).check());
        assertThrows(AssertionError.class, () -> GradientCheck.of(in -> cube(in[0], 2f)).inputs(input()).directions(3).check());
        // 1% off: the double reference catches it
        assertThrows(AssertionError.class, () -> GradientCheck.of(in -> cube(in[0], 3.03f)).inputs(input())
                .reference(KitCanFailTest::cubeReference).check());
    }

    // ---- KL, GAE, clipping, whitening ------------------------------------------------------------------

    @Test
    void aK3WithASignErrorIsCaught() {
        RlhfInvariants.assertK3NonNegative(1.0);
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertKlEstimatorNonNegative(logr -> Math.exp(-logr) - 1 - logr, 1.0));
    }

    @Test
    void aKlOrRatioAwayFromItsStartingValueIsCaught() {
        float[] mask = {1, 1, 0};
        RlhfInvariants.assertKlZeroAndRatioOne(mask, new float[] {0, 0, 0}, new float[] {1, 1, 0});
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertKlZeroAndRatioOne(mask, new float[] {0, -0.01f, 0}, new float[] {1, 1, 0}));
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertKlZeroAndRatioOne(mask, new float[] {0, 0, 0}, new float[] {1, 1.001f, 0}));
        assertThrows(AssertionError.class, // padding holding KL
                () -> RlhfInvariants.assertKlZeroAndRatioOne(mask, new float[] {0, 0, 0.5f}, new float[] {1, 1, 0}));
    }

    private static final float[] R = {1, 0, 2, -1, 3, 99}, V = {0.5f, 1, 1.5f, 0, 2, 99};
    private static final int[] LENGTHS = {3, 2};

    /** GAE that bootstraps from V_t instead of V_{t+1}: an off-by-one. */
    private static Gae.Result offByOne(float[] r, float[] v, int[] lengths, int T, double gamma, double lambda) {
        float[] adv = new float[r.length], ret = new float[r.length];
        for (int b = 0; b < lengths.length; b++) {
            double last = 0;
            for (int t = lengths[b] - 1; t >= 0; t--) {
                int i = b * T + t;
                double next = t + 1 < lengths[b] ? v[i] : 0; // wrong: v[i + 1]
                last = r[i] + gamma * next - v[i] + gamma * lambda * last;
                adv[i] = (float) last;
                ret[i] = (float) (last + v[i]);
            }
        }
        return new Gae.Result(adv, ret);
    }

    /** GAE that treats the whole row of T as real, padding included. */
    private static Gae.Result ignoresPadding(float[] r, float[] v, int[] lengths, int T, double gamma, double lambda) {
        int[] full = new int[lengths.length];
        java.util.Arrays.fill(full, T);
        return Gae.compute(r, v, full, T, gamma, lambda);
    }

    @Test
    void aGaeOffByOneOrReadingPaddingIsCaught() {
        RlhfInvariants.assertGaeIsRewardToGoMinusValue(R, V, LENGTHS, 3);
        RlhfInvariants.assertGaeLambdaZeroIsOneStepTd(R, V, LENGTHS, 3, 0.9);
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertGaeIsRewardToGoMinusValue(KitCanFailTest::offByOne, R, V, LENGTHS, 3));
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertGaeLambdaZeroIsOneStepTd(KitCanFailTest::offByOne, R, V, LENGTHS, 3, 0.9));
        assertThrows(AssertionError.class,
                () -> RlhfInvariants.assertGaeIsRewardToGoMinusValue(KitCanFailTest::ignoresPadding, R, V, LENGTHS, 3));
    }

    @Test
    void aClippedLossThatCountsPaddingOrInvertsTheRatioIsCaught() {
        float[] old = {-1, -2, -0.5f, -3}, now = {-1.05f, -1.9f, -0.5f, -3.1f}, adv = {1, -2, 0.5f, 3}, mask = {1, 1, 1, 0};
        RlhfInvariants.assertClippingInactiveInsideTheRange(now, old, adv, mask, 2, 2, 0.2);
        float[] ones = {1, 1, 1, 1};
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertClippingInactiveInsideTheRange(
                (lp, o, a, m, e) -> PpoLosses.policy(lp, o, a, ones, e).loss(), now, old, adv, mask, 2, 2, 0.2));
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertClippingInactiveInsideTheRange(
                (lp, o, a, m, e) -> {
                    Tensor ratio = Tensor.of(o, lp.dims()).sub(lp).exp();             // wrong: old / new
                    return PpoLosses.maskedMean(Tensor.of(a, lp.dims()).neg().mul(ratio), m);
                }, now, old, adv, mask, 2, 2, 0.2));
    }

    @Test
    void aWhiteningWithPopulationVarianceOrCountedPaddingIsCaught() {
        Random rnd = new Random(5);
        float[] x = new float[12], mask = new float[12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 + 3 * rnd.nextGaussian());
            mask[i] = i % 3 == 2 ? 0 : 1;
        }
        RlhfInvariants.assertWhitened(x, mask, true);
        RlhfInvariants.assertWhitened(x, mask, false);
        // population variance: whitened variance (n - 1) / n = 7 / 8
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertWhitened((v, m, shift) -> {
            int n = MaskedStats.count(m);
            float[] w = MaskedStats.whiten(v, m, shift);
            double mean = MaskedStats.mean(w, m), scale = Math.sqrt((double) n / (n - 1));
            for (int i = 0; i < w.length; i++) {
                w[i] = m[i] == 0 ? 0 : (float) (mean + (w[i] - mean) * scale);
            }
            return w;
        }, x, mask, true));
        // padding counted: the statistics move when padding does
        float[] ones = new float[12];
        java.util.Arrays.fill(ones, 1);
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertWhitened((v, m, shift) -> {
            float[] w = MaskedStats.whiten(v, ones, shift);
            for (int i = 0; i < w.length; i++) {
                w[i] = m[i] == 0 ? 0 : w[i];
            }
            return w;
        }, x, mask, true));
    }

    @Test
    void aRewardSourceWithHiddenStateOrBatchLeakageIsCaught() {
        java.util.List<String> prompts = java.util.List.of("a", "b", "c"), responses = java.util.List.of("x", "yy", "zzz");
        RlhfInvariants.assertRewardSourceConsistent(
                org.rlhf4j.rlhf.RewardSource.fromFunction((p, r) -> r.length()), prompts, responses, 0);
        int[] calls = {0};
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertRewardSourceConsistent(
                org.rlhf4j.rlhf.RewardSource.fromFunction((p, r) -> r.length() + calls[0]++), prompts, responses, 0));
        assertThrows(AssertionError.class, () -> RlhfInvariants.assertRewardSourceConsistent((ps, rs) -> {
            float[] out = new float[ps.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.get(i).length() - rs.get(0).length(); // relative to the batch's first item
            }
            return out;
        }, prompts, responses, 0));
    }

    // ---- Bradley-Terry -----------------------------------------------------------------------------------

    @Test
    void aBradleyTerryLossWithTheWrongSignOrASumForTheMeanIsCaught() {
        PreferenceInvariants.assertTieCostsLog2(PreferenceInvariants.REWARD_LOSSES_DOUBLE, 0.7, 1e-12);
        PreferenceInvariants.assertFallsAsTheLeadGrows(PreferenceInvariants.REWARD_LOSSES_DOUBLE, 0.3, 0.5, true);
        PreferenceInvariants.PairwiseLoss backwards = (w, l) -> Math.log1p(Math.exp(w - l)); // -log sigma(r_l - r_w)
        PreferenceInvariants.assertTieCostsLog2(backwards, 0.7, 1e-12); // a tie cannot tell them apart...
        assertThrows(AssertionError.class,                                // ...the lead can
                () -> PreferenceInvariants.assertFallsAsTheLeadGrows(backwards, 0.3, 0.5, true));
        assertThrows(AssertionError.class, // no sigmoid: -log(r_w - r_l) is undefined at a tie
                () -> PreferenceInvariants.assertTieCostsLog2((w, l) -> -Math.log(w - l), 0.7, 1e-12));
        float[] r = {0.5f, -1f, 2f, 0.1f};
        int[] ranking = {2, 0, 3, 1};
        PreferenceInvariants.assertRankedIsMeanOfPairwise(PreferenceInvariants.REWARD_LOSSES_RANKED,
                PreferenceInvariants.REWARD_LOSSES_DOUBLE, r, ranking);
        assertThrows(AssertionError.class, () -> PreferenceInvariants.assertRankedIsMeanOfPairwise(
                (rw, rk) -> 6 * PreferenceInvariants.REWARD_LOSSES_RANKED.loss(rw, rk),      // the sum of 6 pairs
                PreferenceInvariants.REWARD_LOSSES_DOUBLE, r, ranking));
        assertThrows(AssertionError.class, () -> PreferenceInvariants.assertRankedIsMeanOfPairwise(
                (rw, rk) -> PreferenceInvariants.REWARD_LOSSES_RANKED.loss(rw, new int[] {1, 3, 0, 2}), // read backwards
                PreferenceInvariants.REWARD_LOSSES_DOUBLE, r, ranking));
    }
}
