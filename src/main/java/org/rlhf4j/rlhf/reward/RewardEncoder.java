package org.rlhf4j.rlhf.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.RatedPreference;

/**
 * Turns text into the token ids the reward model reads: {@code encode(prompt) ++ encode(response)},
 * each encoded on its own with the model's tokenizer (so the boundary is exact, as in a PPO rollout),
 * at most maxLength tokens. Training follows an {@link OverLength} policy that never cuts the response
 * (its last token is where the reward is read); scoring must answer every item, so it keeps the last
 * maxLength tokens, the response's end always among them.
 */
public final class RewardEncoder {

    /**
     * One preference, encoded: K sequences of ids and their ranking, best first (pairwise: {0, 1});
     * {@code truncated} when the policy cut the prompt of any of them.
     */
    public record Encoded(int[][] sequences, int[] ranking, boolean truncated) {
    }

    /** A data set, encoded: what was kept, and how many preferences the policy dropped or truncated. */
    public record Encoding(List<Encoded> kept, int dropped, int truncated) {
    }

    private final Tokenizer tokenizer;
    private final int maxLength;
    private final OverLength policy;

    public RewardEncoder(Tokenizer tokenizer, int maxLength, OverLength policy) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        this.maxLength = maxLength;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * The ids of prompt + response under the training policy, or null when it drops them.
     *
     * @throws IllegalArgumentException when the response is empty (it has no token to read a reward at)
     */
    public int[] encodeForTraining(String prompt, String response) {
        return forTraining(tokenizer.encode(prompt), response(response));
    }

    private int[] forTraining(int[] p, int[] r) {
        if (p.length + r.length <= maxLength) {
            return concat(p, 0, r);
        }
        if (policy == OverLength.TRUNCATE_PROMPT_LEFT && r.length <= maxLength) {
            return concat(p, p.length + r.length - maxLength, r); // the prompt's first tokens go
        }
        return null;
    }

    /**
     * The ids of prompt + response for scoring: the last maxLength of them when there are more. An empty
     * response (a policy that stops at once) is scored at the prompt's last token, as TRL does, so that
     * PPO can still give it a reward; with an empty prompt too there is no token to read, and it throws.
     */
    public int[] encodeForScoring(String prompt, String response) {
        int[] p = tokenizer.encode(prompt), r = tokenizer.encode(response);
        if (r.length == 0) {
            if (p.length == 0) {
                throw new IllegalArgumentException("an empty prompt and response have no token to read a reward at");
            }
            return Arrays.copyOfRange(p, Math.max(0, p.length - maxLength), p.length);
        }
        if (r.length >= maxLength) {
            int[] out = new int[maxLength];
            System.arraycopy(r, r.length - maxLength, out, 0, maxLength);
            return out;
        }
        return concat(p, Math.max(0, p.length + r.length - maxLength), r);
    }

    /** A preference (pairwise or ranked) under the training policy, or null when it is dropped. */
    public Encoded encode(Preference preference) {
        List<String> responses;
        int[] ranking;
        if (preference instanceof PairwisePreference pw) {
            responses = List.of(pw.chosen(), pw.rejected());
            ranking = new int[] {0, 1};
        } else if (preference instanceof RankedPreference rp) {
            responses = rp.completions();
            ranking = rp.ranking().stream().mapToInt(Integer::intValue).toArray();
        } else {
            RatedPreference rated = (RatedPreference) preference;
            throw new IllegalArgumentException("a rated record (rating " + rated.rating() + ") is no comparison; "
                    + "group the ratings of one prompt into a ranking first");
        }
        int[] p = tokenizer.encode(preference.prompt());
        int[][] seqs = new int[responses.size()][];
        boolean truncated = false;
        for (int i = 0; i < seqs.length; i++) {
            int[] r = response(responses.get(i));
            seqs[i] = forTraining(p, r);
            if (seqs[i] == null) {
                return null;
            }
            truncated |= seqs[i].length < p.length + r.length;
        }
        return new Encoded(seqs, ranking, truncated);
    }

    /** Every preference under the training policy, with counts of those dropped and truncated. */
    public Encoding encodeAll(List<? extends Preference> preferences) {
        List<Encoded> kept = new ArrayList<>();
        int dropped = 0, truncated = 0;
        for (Preference p : preferences) {
            Encoded e = encode(p);
            if (e == null) {
                dropped++;
                continue;
            }
            kept.add(e);
            truncated += e.truncated() ? 1 : 0;
        }
        return new Encoding(List.copyOf(kept), dropped, truncated);
    }

    private int[] response(String response) {
        int[] r = tokenizer.encode(response);
        if (r.length == 0) {
            throw new IllegalArgumentException("an empty response has no token to read a reward at");
        }
        return r;
    }

    /** p[from..] ++ r. */
    private static int[] concat(int[] p, int from, int[] r) {
        int[] out = new int[p.length - from + r.length];
        System.arraycopy(p, from, out, 0, p.length - from);
        System.arraycopy(r, 0, out, p.length - from, r.length);
        return out;
    }
}
