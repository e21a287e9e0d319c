package org.rlhf4j.data;

import java.util.Arrays;
import java.util.List;
import org.rlhf4j.data.tokenizer.Tokenizer;

/**
 * An immutable sequence of token ids: an encoded corpus, or the training or validation part of one.
 * {@link #split(double)} cuts it as nanoGPT's {@code prepare.py} does: the first
 * {@code int(n * 0.9)} tokens train, the rest validate. For a {@link org.rlhf4j.data.tokenizer.CharTokenizer}
 * this is exactly nanoGPT's {@code shakespeare_char} split (one token per character).
 */
public final class TokenStream {

    /** nanoGPT's training share: {@code n = len(data); train_data = data[:int(n*0.9)]}. */
    public static final double DEFAULT_TRAIN_FRACTION = 0.9;

    private final int[] ids;

    private TokenStream(int[] ids) {
        this.ids = ids;
    }

    /** A stream of a copy of {@code ids}. */
    public static TokenStream of(int[] ids) {
        return new TokenStream(ids.clone());
    }

    /** The ordinary-text encoding of {@code text}. */
    public static TokenStream encode(Tokenizer tokenizer, String text) {
        return new TokenStream(tokenizer.encode(text));
    }

    /**
     * Several documents in one stream, each followed by the end-of-text id when the tokenizer has one,
     * as nanoGPT's {@code openwebtext/prepare.py}: {@code ids = enc.encode_ordinary(text);
     * ids.append(enc.eot_token)}. The id marks where one document ends and the next begins.
     */
    public static TokenStream encodeDocuments(Tokenizer tokenizer, List<String> documents) {
        int[][] parts = new int[documents.size()][];
        long total = 0;
        for (int d = 0; d < parts.length; d++) {
            parts[d] = tokenizer.encode(documents.get(d));
            total += parts[d].length + (tokenizer.eotId().isPresent() ? 1 : 0);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the documents give " + total + " tokens, more than an int[] holds");
        }
        int[] ids = new int[(int) total];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, ids, at, part.length);
            at += part.length;
            if (tokenizer.eotId().isPresent()) {
                ids[at++] = tokenizer.eotId().getAsInt();
            }
        }
        return new TokenStream(ids);
    }

    /** The training and validation parts of a stream. */
    public record Split(TokenStream train, TokenStream validation) {
    }

    /** nanoGPT's 90/10 split. */
    public Split split() {
        return split(DEFAULT_TRAIN_FRACTION);
    }

    /** The first {@code (int) (size() * trainFraction)} ids train, the rest validate; neither may be empty. */
    public Split split(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
        }
        int n = (int) (ids.length * trainFraction);
        if (n == 0 || n == ids.length) {
            throw new IllegalArgumentException("a stream of " + ids.length + " tokens split at " + trainFraction
                    + " leaves an empty " + (n == 0 ? "training" : "validation") + " part");
        }
        return new Split(new TokenStream(Arrays.copyOfRange(ids, 0, n)),
                new TokenStream(Arrays.copyOfRange(ids, n, ids.length)));
    }

    public int size() {
        return ids.length;
    }

    /** The id at position i. */
    public int get(int i) {
        return ids[i];
    }

    /** Copies ids [from, from + length) into {@code out} at {@code offset}. */
    public void copy(int from, int[] out, int offset, int length) {
        System.arraycopy(ids, from, out, offset, length);
    }

    /** A copy of the ids. */
    public int[] toArray() {
        return ids.clone();
    }

    @Override
    public String toString() {
        return "TokenStream(" + ids.length + " tokens)";
    }
}
