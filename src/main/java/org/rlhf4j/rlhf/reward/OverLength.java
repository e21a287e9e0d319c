package org.rlhf4j.rlhf.reward;

/**
 * What training does with a prompt + response longer than the reward model's maximum length. No policy
 * ever cuts the response: the reward is read at its last token, and a cut response is another response.
 * A preference is dropped whole when any of its responses is dropped; the trainer reports the count.
 */
public enum OverLength {

    /** Drop the preference (TRL's RewardTrainer filters out such examples). */
    DROP,

    /**
     * Cut prompt tokens from the left (the start of a long context matters least), keeping at least the
     * whole response; when the response alone is too long, drop the preference.
     */
    TRUNCATE_PROMPT_LEFT
}
