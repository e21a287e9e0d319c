package org.rlhf4j.rlhf.reward;

import org.rlhf4j.tensor.Tensor;

/**
 * The reward model's losses, pure maths on reward tensors (docs/reward-model.md derives them). A
 * preference is a ranking of K >= 2 responses to one prompt, best first; a pairwise preference is K = 2.
 * For a winner w ranked above a loser l, with rewards r_w and r_l, margin m and centering coefficient c:
 * <pre>
 *   loss(w, l) = -log sigma(r_w - r_l - m) + c (r_w + r_l)^2
 * </pre>
 * the Bradley-Terry negative log-likelihood (InstructGPT Eq. 1), with Llama 2's margin and TRL's
 * {@code center_rewards_coefficient}. A ranking contributes all C(K,2) pairs as one batch element, their
 * losses averaged (InstructGPT: "we train on all C(K,2) comparisons from each prompt as a single batch
 * element"); a batch is the mean over its elements, so a pairwise and a 9-way ranking weigh the same.
 * Everything runs through tensors, so autograd gives the gradients; -log sigma uses the engine's stable
 * log-sigmoid ({@code min(x, 0) - log(1 + e^-|x|)}), finite for any finite x.
 */
public final class RewardLosses {

    private RewardLosses() {
    }

    /** One pair's loss in double precision, the reference the tests hold the tensor versions to. */
    public static double pairwise(double rewardChosen, double rewardRejected, double margin, double centerCoef) {
        double x = rewardChosen - rewardRejected - margin;
        double logSigmoid = Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
        double center = rewardChosen + rewardRejected;
        // InstructGPT Eq. 1 (+ Llama 2 margin, TRL centering): -log sigma(r_w - r_l - m) + c (r_w + r_l)^2
        return -logSigmoid + centerCoef * center * center;
    }

    /** The mean pairwise loss over P pairs: chosen (P) and rejected (P) -> a scalar. */
    public static Tensor pairwise(Tensor chosen, Tensor rejected, float margin, float centerCoef) {
        if (chosen.rank() != 1 || !chosen.shape().equals(rejected.shape()) || chosen.size() == 0) {
            throw new IllegalArgumentException("chosen " + chosen.shape() + " and rejected " + rejected.shape()
                    + " must be the same non-empty vector shape (P)");
        }
        return perPair(chosen, rejected, margin, centerCoef).mean();
    }

    /** One prompt's K rewards (K) and its ranking (best first): the mean loss over its C(K,2) pairs. */
    public static Tensor ranked(Tensor rewards, int[] ranking, float margin, float centerCoef) {
        return batch(rewards, new int[][] {ranking}, margin, centerCoef);
    }

    /**
     * A batch of G rankings whose rewards lie end to end in {@code rewards} (N = sum K_g): group g's
     * rewards are the next {@code rankings[g].length} entries, and {@code rankings[g]} lists their local
     * indices best first. Returns {@code (1/G) sum_g (1/C(K_g,2)) sum_{(w,l) in g} loss(w, l)}.
     */
    public static Tensor batch(Tensor rewards, int[][] rankings, float margin, float centerCoef) {
        int P = 0, N = 0;
        for (int[] ranking : rankings) {
            checkRanking(ranking);
            P += ranking.length * (ranking.length - 1) / 2;
            N += ranking.length;
        }
        if (rankings.length == 0 || rewards.rank() != 1 || rewards.size() != N) {
            throw new IllegalArgumentException("rewards " + rewards.shape() + " must be a vector of the "
                    + N + " rewards of " + rankings.length + " rankings (at least one)");
        }
        int[] winners = new int[P], losers = new int[P];
        float[] weights = new float[P];
        int p = 0, offset = 0;
        for (int[] ranking : rankings) {
            int K = ranking.length, pairsOfGroup = K * (K - 1) / 2;
            for (int[] pair : pairs(ranking)) {
                winners[p] = offset + pair[0];
                losers[p] = offset + pair[1];
                weights[p] = 1f / ((float) rankings.length * pairsOfGroup); // mean over pairs, then groups
                p++;
            }
            offset += K;
        }
        Tensor table = rewards.reshape(N, 1);                // (N, 1): gathered by pair index
        Tensor rw = table.embedding(winners).reshape(P);     // (P)
        Tensor rl = table.embedding(losers).reshape(P);      // (P)
        return perPair(rw, rl, margin, centerCoef).mul(Tensor.of(weights, P)).sum();
    }

    /** loss(w, l) for each pair: (P). */
    private static Tensor perPair(Tensor rw, Tensor rl, float margin, float centerCoef) {
        // InstructGPT Eq. 1: loss = -log sigma(r(x, y_w) - r(x, y_l)); Llama 2 subtracts a margin m
        Tensor loss = rw.sub(rl).addScalar(-margin).logSigmoid().neg(); // (P)
        if (centerCoef != 0f) {
            // TRL center_rewards_coefficient: + c (r_w + r_l)^2, pulling rewards towards mean 0
            Tensor sum = rw.add(rl);                                     // (P)
            loss = loss.add(sum.mul(sum).scale(centerCoef));             // (P)
        }
        return loss;
    }

    /**
     * All C(K,2) (winner, loser) pairs of a ranking best first, as local indices: for ranks i &lt; j,
     * {@code {ranking[i], ranking[j]}}, in rank order.
     */
    public static int[][] pairs(int[] ranking) {
        checkRanking(ranking);
        int K = ranking.length;
        int[][] out = new int[K * (K - 1) / 2][];
        int p = 0;
        for (int i = 0; i < K; i++) {
            for (int j = i + 1; j < K; j++) {
                out[p++] = new int[] {ranking[i], ranking[j]};
            }
        }
        return out;
    }

    /**
     * Held-out statistics of rewards laid out as for {@link #batch}: over every pair, how many have
     * {@code r_w > r_l} (a tie counts as wrong) and the sum of {@code r_w - r_l}.
     */
    public static PairStats pairStats(float[] rewards, int[][] rankings) {
        long pairs = 0, correct = 0;
        double marginSum = 0;
        int offset = 0;
        for (int[] ranking : rankings) {
            for (int[] pair : pairs(ranking)) {
                double d = (double) rewards[offset + pair[0]] - rewards[offset + pair[1]];
                pairs++;
                correct += d > 0 ? 1 : 0;
                marginSum += d;
            }
            offset += ranking.length;
        }
        if (offset != rewards.length) {
            throw new IllegalArgumentException(rewards.length + " rewards for rankings of " + offset + " responses");
        }
        return new PairStats(pairs, correct, marginSum);
    }

    /** Counts over pairs; {@link #plus} adds batches up. */
    public record PairStats(long pairs, long correct, double marginSum) {

        public static final PairStats NONE = new PairStats(0, 0, 0);

        public PairStats plus(PairStats o) {
            return new PairStats(pairs + o.pairs, correct + o.correct, marginSum + o.marginSum);
        }

        /** The fraction of pairs ordered as the preference says (NaN with no pairs). */
        public double accuracy() {
            return pairs == 0 ? Double.NaN : (double) correct / pairs;
        }

        /** The mean of r_w - r_l (NaN with no pairs). */
        public double meanMargin() {
            return pairs == 0 ? Double.NaN : marginSum / pairs;
        }
    }

    private static void checkRanking(int[] ranking) {
        int K = ranking.length;
        if (K < 2) {
            throw new IllegalArgumentException("a ranking needs at least 2 responses, got " + K);
        }
        boolean[] seen = new boolean[K];
        for (int r : ranking) {
            if (r < 0 || r >= K || seen[r]) {
                throw new IllegalArgumentException("a ranking must be a permutation of 0.." + (K - 1) + ", got "
                        + java.util.Arrays.toString(ranking));
            }
            seen[r] = true;
        }
    }
}
