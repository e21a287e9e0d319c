package org.rlhf4j.data.tokenizer;

import org.rlhf4j.Rlhf4jException;

/**
 * A tokenizer description that cannot be used: a malformed {@code encoder.json} or {@code vocab.bpe},
 * or a tokenizer JSON form with a missing or wrong field. The message names the source and, where
 * there is one, the line or entry, and says what was expected.
 */
public class TokenizerFormatException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
