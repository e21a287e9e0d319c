package org.rlhf4j.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: text is decoded only when every byte is well formed, never patched with U+FFFD. */
final class Utf8 {

    private Utf8() {
    }

    /** A byte sequence that is not UTF-8, at {@code offset}. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int offset;
        final int value;

        Malformed(int offset, int value) {
            super(null, null, false, false);
            this.offset = offset;
            this.value = value;
        }
    }

    /** The text of {@code bytes[from, to)}; {@link Malformed} at the first byte that is not UTF-8. */
    static String decode(byte[] bytes, int from, int to) throws Malformed {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from); // UTF-8 never has fewer bytes than UTF-16 units
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new Malformed(in.position(), bytes[in.position()] & 0xFF);
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** {@code 0xEF 0xBB 0xBF}, the UTF-8 byte-order mark, starts {@code bytes}. */
    static boolean startsWithBom(byte[] bytes, int length) {
        return length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    }
}
