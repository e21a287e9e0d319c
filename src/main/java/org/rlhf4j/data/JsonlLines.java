package org.rlhf4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a JSONL stream as bytes, for the readers of data files ({@link SftReader}, the
 * preference reader of {@code org.rlhf4j.feedback}). Lines end at {@code '\n'}; a {@code '\r'} before it
 * is dropped (CRLF files read the same); a UTF-8 byte-order mark before line 1 is dropped. A line longer
 * than the cap is flagged by {@link #tooLong()} and its bytes past the cap are read and thrown away, never
 * kept: a 20 MB line costs {@code maxBytes} of memory, not 20 MB. Text is decoded as strict UTF-8.
 *
 * <p>Pass a buffered stream: bytes are read one at a time.
 */
public final class JsonlLines {

    /**
     * A line that is not UTF-8: the first bad byte, by its 1-based column in the line and its offset in the stream.
     * An {@link IOException}, as the JDK's {@link java.nio.charset.MalformedInputException} is; it carries no stack
     * trace (the readers turn it into a {@link DatasetFormatException} at once, and fuzzing makes millions).
     */
    public static final class InvalidUtf8 extends IOException {
        private static final long serialVersionUID = 1L;
        private final int column;
        private final long streamOffset;
        private final int value;

        InvalidUtf8(int column, long streamOffset, int value) {
            super(String.format("byte 0x%02X at column %d (byte offset %d)", value, column, streamOffset));
            this.column = column;
            this.streamOffset = streamOffset;
            this.value = value;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // stackless: see the class comment
        }

        /** 1-based position of the bad byte in its line, counted in bytes (after a byte-order mark on line 1). */
        public int column() {
            return column;
        }

        /** 0-based position of the bad byte in the whole stream. */
        public long streamOffset() {
            return streamOffset;
        }

        /** The bad byte, 0..255. */
        public int value() {
            return value;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private byte[] line;
    private long number;
    private long offset;
    private long nextOffset;
    private boolean tooLong;
    private boolean terminated;

    /** {@code maxBytes}: the longest line kept, in bytes without its line end (at least 1). */
    public JsonlLines(InputStream in, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Reads the next line; false at the end of input (a final line without '\n' still counts). */
    public boolean next() throws IOException {
        buffer.reset();
        boolean overflow = false;
        int b = in.read();
        if (b < 0) {
            return false;
        }
        offset = nextOffset;
        long read = 0;
        for (; b >= 0 && b != '\n'; b = in.read()) {
            read++;
            if (buffer.size() <= maxBytes) { // keeps one byte over the cap, for a final '\r'
                buffer.write(b);
            } else {
                overflow = true;
            }
        }
        terminated = b == '\n';
        nextOffset = offset + read + (terminated ? 1 : 0);
        line = buffer.toByteArray();
        tooLong = overflow || contentEnd() > maxBytes;
        number++;
        return true;
    }

    /** The 1-based number of the current line. */
    public long number() {
        return number;
    }

    /** The cap this reader was made with. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The current line is longer than {@link #maxBytes()}; its text is not available. */
    public boolean tooLong() {
        return tooLong;
    }

    /** The current line ended with '\n' (false only for a last line cut short, e.g. by a crash mid-write). */
    public boolean terminated() {
        return terminated;
    }

    /** Only spaces, tabs and '\r' (after a byte-order mark on line 1: a line holding only the mark is blank). */
    public boolean blank() {
        for (int i = start(); i < line.length; i++) {
            byte x = line[i];
            if (x != ' ' && x != '\t' && x != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The line's bytes, without '\r' and (line 1) without a byte-order mark. */
    public byte[] bytes() {
        return Arrays.copyOfRange(line, start(), contentEnd());
    }

    /** The line as text; {@link InvalidUtf8} at the first byte that is not UTF-8. */
    public String text() throws InvalidUtf8 {
        int start = start();
        try {
            return Utf8.decode(line, start, contentEnd());
        } catch (Utf8.Malformed e) {
            // e.offset indexes line[]; columns count from after a byte-order mark, as an editor shows them
            throw new InvalidUtf8(e.offset - start + 1, offset + e.offset, e.value);
        }
    }

    private int contentEnd() {
        return line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
    }

    private int start() {
        return number == 1 && Utf8.startsWithBom(line, contentEnd()) ? 3 : 0;
    }
}
