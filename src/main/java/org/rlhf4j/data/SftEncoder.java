package org.rlhf4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rlhf4j.data.tokenizer.Tokenizer;

/**
 * Turns {@link SftExample}s into fixed-length training rows with the loss masked to the completion.
 *
 * <p>The token sequence is {@code s = encode(prompt) ++ encode(completion) ++ [eot]}: the two texts are
 * encoded separately (so the boundary is exact), as ordinary text (so data cannot inject a special
 * token), and the end-of-text id, when the tokenizer has one, ends the completion so the model learns
 * to stop. An empty prompt becomes {@code [eot]}, GPT-2's document separator, so the first completion
 * token still has something to follow. With P prompt tokens and L tokens in all, for t in [0, T):
 * <pre>
 *   inputs[t]  = s[t]                                  for t &lt; L-1, else the pad id
 *   targets[t] = s[t+1] if P &lt;= t+1 &lt; L, else IGNORE_INDEX   (the loss sees completion tokens only)
 * </pre>
 * Padding goes at the end: under a causal mask no real position attends to it, and its targets are
 * ignored. The pad id is the end-of-text id, else 0.
 *
 * <p>Over-long examples (L &gt; T + 1) follow an explicit {@link OverlongPolicy}; neither leaves an
 * empty completion. An example that would train on no token at all (an empty prompt and a one-token
 * completion with no end-of-text id) is a {@link DatasetFormatException} naming its file and line.
 */
public final class SftEncoder {

    /** The target of a position without loss; PyTorch's {@code cross_entropy} default, as in Hugging Face. */
    public static final int IGNORE_INDEX = -100;

    /** What to do with an example longer than a block. */
    public enum OverlongPolicy {
        /** Leave it out (counted in {@link Encoded#dropped()}). */
        DROP,
        /**
         * Keep T + 1 tokens: the end of the prompt (the part nearest the completion) and all of the
         * completion if it fits beside one prompt token; otherwise one prompt token and the first T
         * completion tokens (the end-of-text id is then cut too). Counted in {@link Encoded#truncated()}.
         */
        TRUNCATE
    }

    /**
     * One training row of T positions.
     *
     * @param inputs           (T) token ids, padded at the end
     * @param targets          (T) next-token ids on completion positions, else IGNORE_INDEX
     * @param promptTokens     prompt tokens kept (P)
     * @param completionTokens completion tokens kept, end-of-text included
     */
    public record Sequence(int[] inputs, int[] targets, int promptTokens, int completionTokens, boolean truncated) {
    }

    /** A whole data set, encoded: its rows, and how many examples were dropped or truncated. */
    public record Encoded(List<Sequence> sequences, int dropped, int truncated) {
        public Encoded {
            sequences = List.copyOf(sequences);
        }
    }

    private final Tokenizer tokenizer;
    private final int blockSize;
    private final OverlongPolicy policy;
    private final int padId;

    public SftEncoder(Tokenizer tokenizer, int blockSize, OverlongPolicy policy) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
        }
        this.tokenizer = tokenizer;
        this.blockSize = blockSize;
        this.policy = policy;
        this.padId = tokenizer.eotId().orElse(0);
    }

    /** The row of one example; empty when it is over-long and the policy is DROP. */
    public Optional<Sequence> encode(SftExample example) {
        int T = blockSize;
        int[] p = tokenizer.encode(example.prompt());
        int[] c = tokenizer.encode(example.completion());
        if (tokenizer.eotId().isPresent()) {
            int eot = tokenizer.eotId().getAsInt();
            c = Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = eot;
            if (p.length == 0) {
                p = new int[] {eot};
            }
        }
        boolean truncated = false;
        if (p.length + c.length > T + 1) {
            if (policy == OverlongPolicy.DROP) {
                return Optional.empty();
            }
            int keepP = Math.min(p.length, Math.max(p.length == 0 ? 0 : 1, T + 1 - c.length));
            int keepC = T + 1 - keepP; // >= 1, and <= c.length
            p = Arrays.copyOfRange(p, p.length - keepP, p.length);
            c = Arrays.copyOf(c, keepC);
            truncated = true;
        }
        int P = p.length;
        int L = P + c.length;
        if (L - Math.max(1, P) < 1) {
            throw new DatasetFormatException(example.source(), example.line(), "completion", "gives no token to train on"
                    + " (an empty prompt and a one-token completion, and the tokenizer has no end-of-text id)");
        }
        int[] s = Arrays.copyOf(p, L);
        System.arraycopy(c, 0, s, P, c.length);
        int[] inputs = new int[T];   // (T)
        int[] targets = new int[T];  // (T)
        Arrays.fill(inputs, padId);
        Arrays.fill(targets, IGNORE_INDEX);
        for (int t = 0; t < L - 1; t++) {
            inputs[t] = s[t];
            if (t + 1 >= P) {
                targets[t] = s[t + 1]; // predict the next completion token
            }
        }
        return Optional.of(new Sequence(inputs, targets, P, c.length, truncated));
    }

    /** Every example's row, in order, with the dropped and truncated counts. */
    public Encoded encodeAll(List<SftExample> examples) {
        List<Sequence> rows = new ArrayList<>(examples.size());
        int dropped = 0;
        int truncated = 0;
        for (SftExample e : examples) {
            Optional<Sequence> row = encode(e);
            if (row.isEmpty()) {
                dropped++;
            } else {
                rows.add(row.get());
                truncated += row.get().truncated() ? 1 : 0;
            }
        }
        return new Encoded(rows, dropped, truncated);
    }

    public int blockSize() {
        return blockSize;
    }

    public int padId() {
        return padId;
    }
}
