package org.rlhf4j.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.rlhf4j.rlhf.Gae;
import org.rlhf4j.rlhf.KlEstimators;
import org.rlhf4j.rlhf.MaskedStats;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.ppo.PpoBatch;
import org.rlhf4j.rlhf.ppo.PpoLosses;
import org.rlhf4j.rlhf.ppo.PpoTrainer;
import org.rlhf4j.tensor.Tensor;

/**
 * The per-token RLHF invariants (docs/property-testing.md lists each with the bug it catches), as static
 * checks to call from a jqwik {@code @Property} or a JUnit test. Each throws {@link AssertionError} with the
 * offending position and values (so it needs no test framework), and each comes twice: over rlhf4j's own
 * implementation, and over an implementation the caller passes in (their own estimator, GAE, loss or
 * whitening, reward source), so the same invariant tests a user's code. Bradley-Terry checks live in
 * {@link PreferenceInvariants}.
 *
 * <p>Tolerances come from error bounds, not magic numbers: u = 2^-24 is float's unit roundoff, and a sum of
 * k float terms may be off by about {@code k u sum|term|}.
 */
public final class RlhfInvariants {

    private static final double U = GradientCheck.U;

    private RlhfInvariants() {
    }

    // ---- KL estimators -------------------------------------------------------------------------------

    /** {@link KlEstimators#k3}(logr) >= 0 for every logr (NaN in, NaN out is allowed). */
    public static void assertK3NonNegative(double logr) {
        assertKlEstimatorNonNegative(KlEstimators::k3, logr);
    }

    /**
     * {@code estimator(logr) >= 0}: true of k2 and k3 on every single sample (k1 is not, and need not be).
     * A NaN logr is skipped; any other NaN result fails.
     */
    public static void assertKlEstimatorNonNegative(DoubleUnaryOperator estimator, double logr) {
        if (Double.isNaN(logr)) {
            return;
        }
        double k = estimator.applyAsDouble(logr);
        if (!(k >= 0)) {
            throw new AssertionError("KL estimate " + k + " < 0 at logr = " + logr
                    + " (k3 = exp(-logr) - 1 + logr is never negative: a sign slip or a cancellation?)");
        }
    }

    // ---- KL 0 and ratio 1 at the start ---------------------------------------------------------------

    /**
     * Rolls out {@code prompts} with a trainer whose policy still equals its reference (before any update)
     * and checks that every real token has KL 0 and probability ratio 1, and padding holds no KL.
     *
     * @return the rollout, for further checks
     */
    public static PpoBatch assertKlZeroAndRatioOneAtStart(PpoTrainer trainer, List<String> prompts) {
        PpoBatch batch = trainer.rollout(prompts);
        assertKlZeroAndRatioOne(batch.mask(), batch.kl(), trainer.probabilityRatios(batch));
        return batch;
    }

    /**
     * For a policy/reference pair that are still equal, over a rollout laid out (B, T) with {@code mask}:
     * {@code kl} (the per-token estimate) is 0 and {@code ratios} (new / old probability, recomputed by the
     * training forward pass) are 1 on real tokens; padding holds KL 0. Tolerance: the two log-probs come from
     * float forward passes that may batch differently, a few ulps of log-probs of order 10, so 1e-6 for KL
     * and 1e-5 for the ratio (exp amplifies nothing at 0).
     */
    public static void assertKlZeroAndRatioOne(float[] mask, float[] kl, float[] ratios) {
        if (kl.length != mask.length || ratios.length != mask.length) {
            throw new IllegalArgumentException("mask, kl and ratios differ in length: " + mask.length + ", "
                    + kl.length + ", " + ratios.length);
        }
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                if (!(Math.abs(kl[i]) <= 1e-6)) {
                    throw new AssertionError("KL " + kl[i] + " at position " + i + " before any update (want 0: the"
                            + " policy and reference score differently, e.g. another temperature or padding)");
                }
                if (!(Math.abs(ratios[i] - 1) <= 1e-5)) {
                    throw new AssertionError("ratio " + ratios[i] + " at position " + i + " before any update (want 1:"
                            + " the training pass disagrees with the rollout's log-probs)");
                }
            } else if (kl[i] != 0) {
                throw new AssertionError("padding position " + i + " holds KL " + kl[i]);
            }
        }
    }

    // ---- GAE -----------------------------------------------------------------------------------------

    /** A GAE implementation over right-padded (B, T) rows, shaped like {@link Gae#compute}. */
    @FunctionalInterface
    public interface GaeFunction {
        /** Advantages and returns of rows of real lengths {@code lengths}, (B, T) row-major. */
        Gae.Result compute(float[] rewards, float[] values, int[] lengths, int T, double gamma, double lambda);
    }

    /** {@link #assertGaeIsRewardToGoMinusValue(GaeFunction, float[], float[], int[], int)} on {@link Gae#compute}. */
    public static void assertGaeIsRewardToGoMinusValue(float[] rewards, float[] values, int[] lengths, int T) {
        assertGaeIsRewardToGoMinusValue(Gae::compute, rewards, values, lengths, T);
    }

    /**
     * With gamma = lambda = 1, {@code A_t = sum_{s >= t} r_s - V_t} and {@code R_t = sum_{s >= t} r_s} on real
     * positions; padding is 0 in both. Catches an off-by-one in the backward recursion or in where
     * bootstrapping stops, and padding leaking into the last real token. Bound per position:
     * {@code 4 (T + 2) u (sum_{s >= t} |r_s| + |V_t|)}, room for a float accumulation over the row.
     */
    public static void assertGaeIsRewardToGoMinusValue(GaeFunction gae, float[] rewards, float[] values,
                                                       int[] lengths, int T) {
        Gae.Result g = gae.compute(rewards, values, lengths, T, 1, 1);
        for (int b = 0; b < lengths.length; b++) {
            double toGo = 0, abs = 0;
            for (int t = T - 1; t >= 0; t--) {
                int i = b * T + t;
                if (t >= lengths[b]) {
                    expect(0, g.advantages()[i], 0, "GAE advantage on padding", b, t);
                    expect(0, g.returns()[i], 0, "GAE return on padding", b, t);
                    continue;
                }
                toGo += rewards[i];
                abs += Math.abs(rewards[i]);
                double bound = 4 * (T + 2) * U * (abs + Math.abs(values[i])) + Double.MIN_NORMAL;
                expect(toGo - values[i], g.advantages()[i], bound, "gamma = lambda = 1: advantage = reward-to-go - value",
                        b, t);
                expect(toGo, g.returns()[i], bound, "gamma = lambda = 1: return = reward-to-go", b, t);
            }
        }
    }

    /** {@link #assertGaeLambdaZeroIsOneStepTd(GaeFunction, float[], float[], int[], int, double)} on {@link Gae#compute}. */
    public static void assertGaeLambdaZeroIsOneStepTd(float[] rewards, float[] values, int[] lengths, int T, double gamma) {
        assertGaeLambdaZeroIsOneStepTd(Gae::compute, rewards, values, lengths, T, gamma);
    }

    /**
     * With lambda = 0, {@code A_t = r_t + gamma V_{t+1} - V_t}, with {@code V_{t+1} = 0} after a row's last real
     * token: catches bootstrapping from the wrong position (V_t for V_{t+1}) or from padding.
     */
    public static void assertGaeLambdaZeroIsOneStepTd(GaeFunction gae, float[] rewards, float[] values, int[] lengths,
                                                      int T, double gamma) {
        Gae.Result g = gae.compute(rewards, values, lengths, T, gamma, 0);
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int i = b * T + t;
                double next = t + 1 < lengths[b] ? values[i + 1] : 0;
                double td = rewards[i] + gamma * next - values[i];
                double bound = 8 * U * (Math.abs(rewards[i]) + Math.abs(gamma * next) + Math.abs(values[i]))
                        + Double.MIN_NORMAL;
                expect(td, g.advantages()[i], bound, "lambda = 0: advantage = r_t + gamma V_{t+1} - V_t", b, t);
            }
        }
    }

    // ---- PPO clipping --------------------------------------------------------------------------------

    /** A clipped PPO policy loss over (B, T) log-probs, shaped like {@link PpoLosses#policy}. */
    @FunctionalInterface
    public interface PolicyLossFunction {
        /** The scalar loss to minimise. */
        Tensor loss(Tensor logp, float[] oldLogp, float[] advantages, float[] mask, double eps);
    }

    /** {@link #assertClippingInactiveInsideTheRange(PolicyLossFunction, float[], float[], float[], float[], int, int, double)} on {@link PpoLosses#policy}. */
    public static void assertClippingInactiveInsideTheRange(float[] logp, float[] oldLogp, float[] advantages,
                                                            float[] mask, int B, int T, double eps) {
        assertClippingInactiveInsideTheRange((lp, o, a, m, e) -> PpoLosses.policy(lp, o, a, m, e).loss(),
                logp, oldLogp, advantages, mask, B, T, eps);
    }

    /**
     * Where every ratio {@code exp(logp - oldLogp)} lies in [1 - eps, 1 + eps], the clipped loss and its gradient
     * equal those of the unclipped {@code masked_mean(-A ratio)}, and padding gets no gradient. Catches a clip
     * applied to the wrong quantity (log-ratio, advantage), min for max on the wrong side, an inverted ratio, and
     * a mean that counts padding. Bound: value {@code 4 (n + 2) u mean|A ratio|}, gradient
     * {@code 8 u |A_i ratio_i| / n}, n the real tokens.
     *
     * @throws IllegalArgumentException when some real ratio lies outside the range (the premise fails)
     */
    public static void assertClippingInactiveInsideTheRange(PolicyLossFunction policyLoss, float[] logp,
                                                            float[] oldLogp, float[] advantages, float[] mask,
                                                            int B, int T, double eps) {
        int n = 0;
        double absSum = 0;
        for (int i = 0; i < mask.length; i++) {
            double r = Math.exp((double) logp[i] - oldLogp[i]);
            if (mask[i] != 0) {
                if (r < 1 - eps || r > 1 + eps) {
                    throw new IllegalArgumentException("ratio " + r + " at " + i + " lies outside [1 - eps, 1 + eps]");
                }
                n++;
                absSum += Math.abs(advantages[i] * r);
            }
        }
        Tensor lp = Tensor.of(logp.clone(), B, T).requiresGrad(true);
        Tensor clipped = policyLoss.loss(lp, oldLogp, advantages, mask, eps);
        clipped.backward();
        float[] g = lp.grad() == null ? new float[B * T] : lp.grad().toArray();
        double unclipped = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                unclipped += -advantages[i] * Math.exp((double) logp[i] - oldLogp[i]);
            }
        }
        unclipped = n == 0 ? 0 : unclipped / n;
        double bound = 4 * (n + 2) * U * (n == 0 ? 0 : absSum / n) + Double.MIN_NORMAL;
        if (!(Math.abs(clipped.item() - unclipped) <= bound)) {
            throw new AssertionError("every ratio inside [1 - " + eps + ", 1 + " + eps + "], yet the clipped loss is "
                    + clipped.item() + " and the unclipped masked_mean(-A ratio) " + unclipped + " (bound " + bound + ")");
        }
        for (int i = 0; i < mask.length; i++) {
            double r = Math.exp((double) logp[i] - oldLogp[i]);
            double expected = mask[i] == 0 ? 0 : -advantages[i] * r / n;       // d(-A r / n)/d logp = -A r / n
            double gb = 8 * U * Math.abs(advantages[i] * r) / Math.max(n, 1) + Double.MIN_NORMAL;
            if (!(Math.abs(g[i] - expected) <= gb)) {
                throw new AssertionError("gradient at " + i + (mask[i] == 0 ? " (padding)" : "") + " is " + g[i]
                        + ", the unclipped objective's " + expected + " (bound " + gb + ")");
            }
        }
    }

    // ---- masked whitening ----------------------------------------------------------------------------

    /** A masked whitening implementation, shaped like {@link MaskedStats#whiten}. */
    @FunctionalInterface
    public interface WhitenFunction {
        /** The whitened values; {@code shiftMean} false adds the mean back. */
        float[] whiten(float[] x, float[] mask, boolean shiftMean);
    }

    /** {@link #assertWhitened(WhitenFunction, float[], float[], boolean)} on {@link MaskedStats#whiten}. */
    public static void assertWhitened(float[] x, float[] mask, boolean shiftMean) {
        assertWhitened(MaskedStats::whiten, x, mask, shiftMean);
    }

    /**
     * Over the positions where {@code mask != 0} (at least 2): the whitened values have mean 0 ({@code shiftMean})
     * or the input's mean (otherwise) and variance 1 (Bessel's, as TRL's {@code masked_whiten}); padding
     * comes out 0, and whatever padding holds (here replaced by 1e6) changes nothing. Catches padding counted in
     * the statistics, a population variance where the unbiased one is meant, and a lost mean shift. The outputs
     * are floats of size about 1 (plus |m| when the mean is added back), each rounded once, so the bound is
     * {@code b = 32 u (1 + |m|)} for the mean ({@code 32 u} with the shift) and {@code 1e-8 / s^2 + b} for the
     * variance (the whitening epsilon 1e-8 is added to the variance), m and s^2 the input's masked mean and
     * variance.
     */
    public static void assertWhitened(WhitenFunction whiten, float[] x, float[] mask, boolean shiftMean) {
        int n = MaskedStats.count(mask);
        if (n < 2) {
            throw new IllegalArgumentException("whitening needs at least 2 counted positions, got " + n);
        }
        double m = MaskedStats.mean(x, mask), var = MaskedStats.variance(x, mask);
        if (!(var > 0)) {
            throw new IllegalArgumentException("the counted values are constant; whitening is undefined");
        }
        float[] w = whiten.whiten(x, mask, shiftMean);
        double rel = 32 * U * (1 + (shiftMean ? 0 : Math.abs(m)));
        double mean = MaskedStats.mean(w, mask), wvar = MaskedStats.variance(w, mask);
        double wantMean = shiftMean ? 0 : m;
        if (!(Math.abs(mean - wantMean) <= rel)) {
            throw new AssertionError("whitened masked mean " + mean + ", want " + wantMean + " (bound " + rel + ")");
        }
        double varBound = 1e-8 / var + rel;
        if (!(Math.abs(wvar - 1) <= varBound)) {
            throw new AssertionError("whitened masked variance " + wvar + ", want 1 (bound " + varBound
                    + "; a population variance gives (n - 1) / n = " + (n - 1.0) / n + ")");
        }
        float[] noisy = x.clone();
        for (int i = 0; i < x.length; i++) {
            if (mask[i] == 0) {
                noisy[i] = 1e6f;
            }
        }
        float[] w2 = whiten.whiten(noisy, mask, shiftMean);
        for (int i = 0; i < x.length; i++) {
            float want = mask[i] == 0 ? 0f : w[i];
            if (Float.compare(want, w2[i]) != 0 && !(want == 0 && w2[i] == 0)) {
                throw new AssertionError("position " + i + ": " + (mask[i] == 0 ? "padding came out " + w2[i]
                        : "changing the padding moved it from " + w[i] + " to " + w2[i]));
            }
        }
    }

    // ---- reward sources ------------------------------------------------------------------------------

    /**
     * A {@link RewardSource} (a trained model or a user's rule) scores consistently: one finite score per item;
     * the same scores on a second call (no hidden state); scoring the batch whole, reversed, or item by item
     * gives each item the same score (no leaking between items of a batch, e.g. through padding or a running
     * statistic). Batched float scoring may differ from one-by-one scoring by rounding: {@code tolerance} is
     * absolute (0 for a plain function, a few float ulps of the score for a reward model).
     *
     * @return the scores of the batch, in order
     */
    public static float[] assertRewardSourceConsistent(RewardSource source, List<String> prompts,
                                                       List<String> responses, double tolerance) {
        float[] scores = source.score(prompts, responses);
        if (scores.length != prompts.size()) {
            throw new AssertionError(scores.length + " scores for " + prompts.size() + " items");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new AssertionError("item " + i + " scored " + scores[i] + ": " + describe(prompts, responses, i));
            }
        }
        float[] again = source.score(prompts, responses);
        List<String> rp = new ArrayList<>(prompts), rr = new ArrayList<>(responses);
        Collections.reverse(rp);
        Collections.reverse(rr);
        float[] reversed = source.score(rp, rr);
        for (int i = 0; i < scores.length; i++) {
            float alone = source.score(prompts.get(i), responses.get(i));
            float[] others = {again[i], reversed[scores.length - 1 - i], alone};
            String[] how = {"a second call", "the reversed batch", "scoring it alone"};
            for (int k = 0; k < others.length; k++) {
                if (!(Math.abs(others[k] - scores[i]) <= tolerance)) {
                    throw new AssertionError("item " + i + " scored " + scores[i] + " in the batch but " + others[k]
                            + " by " + how[k] + ": " + describe(prompts, responses, i));
                }
            }
        }
        return scores;
    }

    private static String describe(List<String> prompts, List<String> responses, int i) {
        return "prompt " + quote(prompts.get(i)) + ", response " + quote(responses.get(i));
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
    }

    private static void expect(double want, double got, double bound, String what, int row, int t) {
        if (!(Math.abs(got - want) <= bound)) {
            throw new AssertionError(what + ": row " + row + " t " + t + " is " + got + ", want " + want
                    + " (bound " + bound + ")");
        }
    }
}
