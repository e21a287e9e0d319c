package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    @Test
    void mobyDickIsThePlainText() {
        String text = Corpus.mobyDick();
        assertTrue(text.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael."), text.substring(0, 40));
        assertTrue(text.endsWith("rolled on as it rolled five thousand years ago.\n"));
        assertEquals(1_204_997, text.getBytes(StandardCharsets.UTF_8).length);
        assertFalse(text.contains("\r"));
        assertFalse(text.startsWith("{") || text.startsWith("\""), "not JSON-wrapped");
    }

    @Test
    void readsUtf8AndDropsAByteOrderMark() throws IOException {
        Path f = dir.resolve("c.txt");
        Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i', (byte) 0xC3, (byte) 0xA9});
        assertEquals("hié", Corpus.read(f));
    }

    @Test
    void invalidUtf8NamesTheFileLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.write(f, new byte[] {'a', '\n', 'b', 'c', (byte) 0xFF, 'd'});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Corpus.read(f));
        assertEquals(f + ":2: invalid UTF-8: byte 0xFF at column 3 (byte offset 4 of the file)", e.getMessage());
        assertEquals(2, e.line());
        assertTrue(e.field().isEmpty());
        Files.write(f, new byte[] {'a', (byte) 0xE2, (byte) 0x82}); // truncated at the end
        assertThrows(DatasetFormatException.class, () -> Corpus.read(f));
        Files.write(f, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded surrogate is not UTF-8
        assertThrows(DatasetFormatException.class, () -> Corpus.read(f));
    }
}
