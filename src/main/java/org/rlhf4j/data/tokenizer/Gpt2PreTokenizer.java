package org.rlhf4j.data.tokenizer;

import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenisation: before BPE, text is cut into pieces and merges never cross a piece
 * boundary, so a word never fuses with the punctuation or space before it. OpenAI's {@code encoder.py}
 * defines the pieces by the {@link #PATTERN} below, taken left to right, first alternative that matches
 * wins:
 * <ol>
 *   <li>{@code 's 't 're 've 'm 'll 'd} — English contractions, lower case only;</li>
 *   <li>{@code  ?\p{L}+} — a run of letters, with at most one space in front;</li>
 *   <li>{@code  ?\p{N}+} — a run of numbers (any script), with at most one space in front;</li>
 *   <li>{@code  ?[^\s\p{L}\p{N}]+} — a run of anything else (punctuation, symbols, emoji);</li>
 *   <li>{@code \s+(?!\S)} — a run of whitespace not followed by a non-space: a run before a word gives
 *       up its last character, which then joins the word as its leading space;</li>
 *   <li>{@code \s+} — whitespace that is left (a single one before a non-space).</li>
 * </ol>
 * {@code \s} is Unicode whitespace (the White_Space property, as tiktoken and jtokkit use), not
 * Java's ASCII-only default. {@link #pieceEnd} implements the same rule by hand, one code point at a
 * time, because the regex engine is several times slower; the tests check the two agree.
 */
final class Gpt2PreTokenizer {

    /** The specification: GPT-2's pattern, with {@code \s} meaning Unicode whitespace. */
    static final Pattern PATTERN = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final byte LETTER = 0;
    private static final byte NUMBER = 1;
    private static final byte SPACE = 2;
    private static final byte OTHER = 3;

    /** The class of each ASCII character, so the common case needs no Unicode table lookup. */
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classOfSlow(c);
        }
    }

    private Gpt2PreTokenizer() {
    }

    /**
     * The end (exclusive) of the piece that starts at {@code start} in {@code text[start, end)}. The
     * pieces of a text are found by calling this from 0 until it returns {@code end}; {@code end} counts
     * as the end of the input (for the look-ahead of rule 5).
     */
    static int pieceEnd(CharSequence text, int start, int end) {
        char c = text.charAt(start);
        // 1. contractions
        if (c == '\'' && start + 1 < end) {
            char d = text.charAt(start + 1);
            if (d == 's' || d == 't' || d == 'm' || d == 'd') {
                return start + 2;
            }
            if (start + 2 < end) {
                char e = text.charAt(start + 2);
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) {
                    return start + 3;
                }
            }
        }
        // 2.-4. an optional space, then a run of letters, numbers or other characters
        int first = (c == ' ' && start + 1 < end) ? start + 1 : start;
        byte kind = classOf(Character.codePointAt(text, first));
        if (kind != SPACE) {
            return runEnd(text, first, end, kind);
        }
        // 5.-6. whitespace: the whole run at the end of the input, else all but its last character,
        // else (a run of one before a non-space) that one character. White_Space is all in the BMP.
        int k = start;
        while (k < end && classOf(text.charAt(k)) == SPACE) {
            k++;
        }
        return (k == end || k - start == 1) ? k : k - 1;
    }

    private static int runEnd(CharSequence text, int from, int end, byte kind) {
        int i = from;
        while (i < end) {
            char ch = text.charAt(i);
            if (ch < 128) {
                if (ASCII[ch] != kind) {
                    break;
                }
                i++;
            } else {
                int cp = Character.codePointAt(text, i);
                if (classOfSlow(cp) != kind) {
                    break;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static byte classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classOfSlow(cp);
    }

    /** \p{L}, \p{N}, White_Space or anything else, from the JVM's Unicode tables (as java.util.regex). */
    private static byte classOfSlow(int cp) {
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return SPACE;
            default:
                // White_Space also holds the controls TAB..CR and NEL (U+0085).
                return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ? SPACE : OTHER;
        }
    }
}
