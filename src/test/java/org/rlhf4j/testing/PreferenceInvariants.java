package org.rlhf4j.testing;

import org.rlhf4j.rlhf.reward.RewardLosses;
import org.rlhf4j.tensor.Tensor;

/**
 * The Bradley-Terry invariants of a reward model's preference loss (InstructGPT Eq. 1,
 * {@code loss = -log sigma(r_w - r_l)}), as static checks to call from a jqwik {@code @Property} or a JUnit
 * test. Each takes the loss under test as a function, so a user's own pairwise or K-way loss is held to the
 * same properties as {@link RewardLosses}; {@link #REWARD_LOSSES_DOUBLE}, {@link #REWARD_LOSSES_TENSOR} and
 * {@link #REWARD_LOSSES_RANKED} adapt rlhf4j's. Failures throw {@link AssertionError}.
 */
public final class PreferenceInvariants {

    private static final double U = GradientCheck.U;

    /** A pairwise preference loss: the loss when {@code chosen} was preferred to {@code rejected}. */
    @FunctionalInterface
    public interface PairwiseLoss {
        /** The loss of one pair, given the two rewards. */
        double loss(double rewardChosen, double rewardRejected);
    }

    /** A K-way preference loss: K rewards and their ranking (local indices, best first). */
    @FunctionalInterface
    public interface RankedLoss {
        /** The loss of one ranking. */
        double loss(float[] rewards, int[] ranking);
    }

    /** rlhf4j's double-precision pairwise loss without margin or centering. */
    public static final PairwiseLoss REWARD_LOSSES_DOUBLE = (w, l) -> RewardLosses.pairwise(w, l, 0, 0);

    /** rlhf4j's tensor pairwise loss (float, through the tape) without margin or centering. */
    public static final PairwiseLoss REWARD_LOSSES_TENSOR = (w, l) -> RewardLosses.pairwise(
            Tensor.vector((float) w), Tensor.vector((float) l), 0f, 0f).item();

    /** rlhf4j's K-way loss without margin or centering. */
    public static final RankedLoss REWARD_LOSSES_RANKED = (r, ranking) -> RewardLosses.ranked(
            Tensor.of(r.clone(), r.length), ranking, 0f, 0f).item();

    private PreferenceInvariants() {
    }

    /**
     * A tie costs {@code log 2}: {@code -log sigma(0)}. Catches a missing or doubled sigmoid, a softplus of the
     * wrong sign, and a margin applied where none was asked. {@code tolerance} is absolute (1e-12 for a double
     * loss, a few float ulps of log 2, 1e-6, through a float tape).
     */
    public static void assertTieCostsLog2(PairwiseLoss loss, double reward, double tolerance) {
        double l = loss.loss(reward, reward);
        if (!(Math.abs(l - Math.log(2)) <= tolerance)) {
            throw new AssertionError("a tie at reward " + reward + " costs " + l + ", want log 2 = " + Math.log(2));
        }
    }

    /**
     * The loss falls as the chosen reward's lead grows: {@code loss(d + step, 0) < loss(d, 0)} for step > 0 (or
     * {@code <=} when not {@code strict}: a float loss may saturate to the same value far out). Catches the
     * classic sign slip {@code -log sigma(r_l - r_w)}, which trains the model to prefer the rejected response.
     */
    public static void assertFallsAsTheLeadGrows(PairwiseLoss loss, double lead, double step, boolean strict) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be > 0, got " + step);
        }
        double before = loss.loss(lead, 0), after = loss.loss(lead + step, 0);
        if (strict ? !(after < before) : !(after <= before)) {
            throw new AssertionError("the chosen reward's lead grew from " + lead + " to " + (lead + step)
                    + " and the loss went from " + before + " to " + after + " (want it to fall)");
        }
    }

    /**
     * A K-way ranking's loss is the mean of the pairwise losses over its C(K,2) (winner, loser) pairs (InstructGPT:
     * all pairs of a prompt as one batch element). Catches a sum where the mean is meant (K-way prompts then
     * outweigh pairwise ones by C(K,2)), a ranking read backwards, and pairs missed or double-counted. Bound:
     * {@code 8 (P + 2) u (1 + mean)} for P pairs summed in float.
     */
    public static void assertRankedIsMeanOfPairwise(RankedLoss ranked, PairwiseLoss pairwise, float[] rewards,
                                                    int[] ranking) {
        int K = ranking.length;
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < K; i++) {
            for (int j = i + 1; j < K; j++) {                  // rank i beats rank j
                sum += pairwise.loss(rewards[ranking[i]], rewards[ranking[j]]);
                pairs++;
            }
        }
        double mean = sum / pairs, got = ranked.loss(rewards, ranking);
        double bound = 8 * (pairs + 2) * U * (1 + Math.abs(mean));
        if (!(Math.abs(got - mean) <= bound)) {
            throw new AssertionError("a " + K + "-way ranking costs " + got + ", the mean of its " + pairs
                    + " pairwise losses is " + mean + " (bound " + bound + "; their sum is " + sum + ")");
        }
    }
}
