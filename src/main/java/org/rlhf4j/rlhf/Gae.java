package org.rlhf4j.rlhf;

/**
 * Generalized advantage estimation (Schulman et al. 2015, "High-Dimensional Continuous Control Using
 * Generalized Advantage Estimation", Eq. 16) over right-padded rows: row b has {@code lengths[b]} real
 * positions of T, the rest is padding. Backwards over each row's real positions:
 * <pre>
 *   delta_t = r_t + gamma V_{t+1} - V_t        V_{t+1} = 0 past the row's last real position
 *   A_t     = delta_t + gamma lambda A_{t+1}   A = 0 past the end
 *   R_t     = A_t + V_t                        the value targets (returns)
 * </pre>
 * With gamma = lambda = 1, A_t = (sum_{s >= t} r_s) - V_t: reward-to-go minus value. Padding stays 0 in
 * both outputs.
 */
public final class Gae {

    /** Advantages and returns, both row-major (B, T). */
    public record Result(float[] advantages, float[] returns) {
    }

    private Gae() {
    }

    /**
     * @param rewards (B, T) per-token rewards
     * @param values  (B, T) the value of the state before each token
     * @param lengths (B) real positions per row, each in 0..T
     */
    public static Result compute(float[] rewards, float[] values, int[] lengths, int T, double gamma, double lambda) {
        int B = lengths.length;
        if (rewards.length != B * T || values.length != B * T) {
            throw new IllegalArgumentException("rewards (" + rewards.length + ") and values (" + values.length
                    + ") must both hold B*T = " + B + "*" + T + " values");
        }
        float[] adv = new float[B * T], ret = new float[B * T];
        for (int b = 0; b < B; b++) {
            int L = lengths[b];
            if (L < 0 || L > T) {
                throw new IllegalArgumentException("row " + b + ": length " + L + " outside 0.." + T);
            }
            double next = 0, lastGae = 0;
            for (int t = L - 1; t >= 0; t--) {
                int i = b * T + t;
                double delta = rewards[i] + gamma * next - values[i]; // delta_t = r_t + gamma V_{t+1} - V_t
                lastGae = delta + gamma * lambda * lastGae;           // A_t = delta_t + gamma lambda A_{t+1}
                adv[i] = (float) lastGae;
                ret[i] = (float) (lastGae + values[i]);               // R_t = A_t + V_t
                next = values[i];
            }
        }
        return new Result(adv, ret);
    }
}
