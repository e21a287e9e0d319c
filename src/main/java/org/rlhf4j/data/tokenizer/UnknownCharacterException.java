package org.rlhf4j.data.tokenizer;

/**
 * Thrown by {@link CharTokenizer#encode(String)} for a character that was not in the corpus the
 * tokenizer was built from. The message names the character (as itself and as U+XXXX) and where it is:
 * {@code character 'é' (U+00E9) at index 7 (code point 7) is not in the vocabulary of 65 characters}.
 */
public class UnknownCharacterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int codePoint;
    private final int index;

    public UnknownCharacterException(int codePoint, int index, int codePointIndex, int vocabSize) {
        super("character " + describe(codePoint) + " at index " + index + " (code point " + codePointIndex
                + ") is not in the vocabulary of " + vocabSize + " characters");
        this.codePoint = codePoint;
        this.index = index;
    }

    /** The unknown character. */
    public int codePoint() {
        return codePoint;
    }

    /** Its position in the text, in UTF-16 units (a Java string index). */
    public int index() {
        return index;
    }

    /** {@code 'x' (U+0078)}; control and surrogate characters are shown by number only. */
    static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        int type = Character.getType(codePoint);
        boolean printable = type != Character.CONTROL && type != Character.SURROGATE
                && type != Character.UNASSIGNED && !Character.isWhitespace(codePoint);
        return printable ? "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")" : hex;
    }
}
