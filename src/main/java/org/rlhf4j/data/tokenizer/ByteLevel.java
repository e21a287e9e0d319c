package org.rlhf4j.data.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible map from the 256 byte values to 256 printable characters ({@code bytes_to_unicode}
 * in OpenAI's {@code encoder.py}, Radford et al. 2019). BPE runs on bytes, so any text can be encoded
 * with no unknown token; the vocabulary files spell each token's bytes with these characters, so that
 * no token contains whitespace or a control character (the space byte is written {@code Ġ}, U+0120).
 *
 * <p>The rule: the bytes that are already printable Latin-1 characters, {@code '!'..'~'}, {@code '¡'..'¬'}
 * and {@code '®'..'ÿ'} (188 of them), stand for themselves; the other 68 (0-32, 127-160 and 173) are
 * given the characters U+0100, U+0101, ... in increasing byte order.
 */
final class ByteLevel {

    /** {@code BYTE_TO_CHAR[b & 0xFF]}: the character that spells byte b. */
    private static final char[] BYTE_TO_CHAR = new char[256];

    /** The inverse: the byte spelled by character c, or -1. Characters used are below U+0100 + 68. */
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character that spells byte {@code b}. */
    static char charOf(byte b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte spelled by character {@code c}, or -1 when c is not one of the 256. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The bytes that a vocabulary string spells, or null when a character is not in the table. */
    static byte[] bytesOf(String spelled) {
        byte[] out = new byte[spelled.length()];
        for (int i = 0; i < out.length; i++) {
            int b = byteOf(spelled.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** The vocabulary spelling of {@code bytes}. */
    static String spell(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = charOf(bytes[i]);
        }
        return new String(out);
    }
}
