package org.rlhf4j.rlhf.ppo;

import java.util.List;

/**
 * One iteration's rollout after phases 1-7 of {@link PpoTrainer}: everything the PPO epochs read. Arrays over
 * response positions are row-major (N, R), N rows (one per prompt), R = maxNewTokens, with padding after each
 * row's length; they are shared, not copied.
 *
 * @param prompts     the prompt texts
 * @param responses   the response texts given to the reward source
 * @param promptIds   each prompt's tokens (left-truncated to fit the block size)
 * @param responseIds each response's real tokens, the stop token included when it came
 * @param stopped     whether each response ended with the stop token
 * @param R           positions per row of the (N, R) arrays
 * @param mask        1 on real response tokens, 0 on padding
 * @param logProbs    the policy's log-probs of the sampled tokens under logits / temperature
 * @param refLogProbs the reference's, the same way
 * @param kl          the per-token KL estimate (the configured estimator of logProbs - refLogProbs)
 * @param entropy     the entropy of the policy's sampling distribution at each position
 * @param values      the value model's estimates before each token
 * @param scores      each response's score (after the missing-stop penalty; before running normalization)
 * @param rewards     per-token rewards: -beta kl, plus the (normalized) score at the last real token; whitened
 *                    when configured
 * @param advantages  GAE advantages, whitened, 0 on padding
 * @param returns     advantages + values (the value targets)
 * @param beta        the KL coefficient used
 */
public record PpoBatch(List<String> prompts, List<String> responses, int[][] promptIds, int[][] responseIds,
                       boolean[] stopped, int R, float[] mask, float[] logProbs, float[] refLogProbs, float[] kl,
                       float[] entropy, float[] values, float[] scores, float[] rewards, float[] advantages,
                       float[] returns, double beta) {

    /** The number of rows (prompts). */
    public int size() {
        return promptIds.length;
    }

    /** Real tokens of row b. */
    public int length(int b) {
        return responseIds[b].length;
    }
}
