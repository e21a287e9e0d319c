package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared line reader: numbering, line ends, the byte-order mark, the cap, and where bad bytes are. */
class JsonlLinesTest {

    private static JsonlLines lines(byte[] bytes, int cap) {
        return new JsonlLines(new ByteArrayInputStream(bytes), cap);
    }

    @Test
    void linesAreNumberedAndTheirEndsRemembered() throws Exception {
        JsonlLines l = lines("\uFEFFab\r\n\n  \t\ncd".getBytes(StandardCharsets.UTF_8), 10);
        assertTrue(l.next());
        assertEquals(1, l.number());
        assertEquals("ab", l.text(), "BOM and CR dropped");
        assertTrue(l.terminated());
        assertTrue(l.next());
        assertTrue(l.blank());
        assertTrue(l.next());
        assertTrue(l.blank());
        assertTrue(l.next());
        assertEquals("cd", l.text());
        assertEquals(4, l.number());
        assertFalse(l.terminated(), "the last line has no '\\n'");
        assertFalse(l.next());
    }

    /** Found by the fuzz campaign: line 1 holding only a BOM was not blank, so PromptFile read an empty prompt. */
    @Test
    void aFirstLineOfOnlyAByteOrderMarkIsBlank() throws Exception {
        for (String first : new String[] {"\uFEFF\n", "\uFEFF\r\n", "\uFEFF \t\r\n"}) {
            JsonlLines l = lines((first + "\uFEFF\n").getBytes(StandardCharsets.UTF_8), 10);
            assertTrue(l.next());
            assertTrue(l.blank(), "only a BOM (and blanks) on line 1: " + first.length() + " chars");
            assertEquals("", l.text().strip());
            assertTrue(l.next());
            assertFalse(l.blank(), "a BOM on line 2 is text, not a byte-order mark");
        }
    }

    @Test
    void aLineOverTheCapIsFlaggedAndTheNextLineIsIntact() throws Exception {
        JsonlLines l = lines(("x".repeat(100) + "\nabc\r\n").getBytes(StandardCharsets.UTF_8), 3);
        assertTrue(l.next());
        assertTrue(l.tooLong());
        assertTrue(l.next());
        assertFalse(l.tooLong(), "exactly at the cap, CR not counted");
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), l.bytes());
        assertThrows(IllegalArgumentException.class, () -> lines(new byte[0], 0));
    }

    @Test
    void badUtf8IsPlacedByColumnAndStreamOffset() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'a', 'b', (byte) 0xFF, '\n'};
        JsonlLines l = lines(bytes, 100);
        assertTrue(l.next());
        assertTrue(l.next());
        JsonlLines.InvalidUtf8 e = assertThrows(JsonlLines.InvalidUtf8.class, l::text);
        assertEquals(3, e.column());
        assertEquals(5, e.streamOffset());
        assertEquals(0xFF, e.value());
        assertEquals("byte 0xFF at column 3 (byte offset 5)", e.getMessage());
        JsonlLines bom = lines(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', (byte) 0xC3}, 100);
        assertTrue(bom.next());
        JsonlLines.InvalidUtf8 b = assertThrows(JsonlLines.InvalidUtf8.class, bom::text);
        assertEquals(2, b.column(), "the byte-order mark is not a column");
        assertEquals(4, b.streamOffset(), "but it is a byte of the stream");
    }
}
