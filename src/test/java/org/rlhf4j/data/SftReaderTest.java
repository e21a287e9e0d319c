package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad line gets its own message naming file, line and field; lenient mode counts. */
class SftReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsExamplesInOrder() throws IOException {
        Path f = write("{\"prompt\": \"Q: 2+2?\\nA:\", \"completion\": \" 4\"}\n"
                + "\n"
                + "{\"completion\": \"x\", \"prompt\": \"\", \"id\": 7, \"meta\": {\"a\": [1]}}\r\n"
                + "  \t\n"
                + "{\"prompt\": \"é😀\", \"completion\": \"\\u00e9\\ud83d\\ude00\"}");
        SftDataset d = SftReader.read(f);
        assertEquals(3, d.size());
        assertEquals(new SftExample("Q: 2+2?\nA:", " 4", f.toString(), 1), d.examples().get(0));
        assertEquals(new SftExample("", "x", f.toString(), 3), d.examples().get(1));
        assertEquals("é😀", d.examples().get(2).completion(), "escaped surrogate pairs are one character");
        assertEquals(5, d.examples().get(2).line());
        assertTrue(d.skipped().isEmpty());
    }

    @Test
    void byteOrderMarkOnTheFirstLineIsDropped() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] line = "{\"prompt\": \"a\", \"completion\": \"b\"}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bom);
        out.write(line);
        assertEquals(1, SftReader.read(new ByteArrayInputStream(out.toByteArray()), "bom.jsonl", SftReader.Options.strict()).size());
    }

    @Test
    void eachMalformedLineIsNamed() {
        bad("{\"prompt\": \"a\", \"completion\": \"b\"", null, "not valid JSON: Unexpected end-of-input");
        bad("prompt: a", null, "not valid JSON: Unrecognized token 'prompt'");
        bad("[\"a\", \"b\"]", null, "expected a JSON object {\"prompt\": ..., \"completion\": ...}, got array");
        bad("\"text\"", null, "expected a JSON object {\"prompt\": ..., \"completion\": ...}, got string");
        bad("{\"prompt\": \"a\", \"completion\": \"b\"} {}", null, "not valid JSON: Trailing token");
        bad("{\"prompt\": \"a\", \"prompt\": \"c\", \"completion\": \"b\"}", null, "not valid JSON: Duplicate field 'prompt'");
        bad("{\"completion\": \"b\"}", "prompt", "missing; each line needs \"prompt\" and \"completion\"");
        bad("{\"prompt\": \"a\"}", "completion", "missing; each line needs \"prompt\" and \"completion\"");
        bad("{\"prompt\": 3, \"completion\": \"b\"}", "prompt", "must be a string, got number 3");
        bad("{\"prompt\": null, \"completion\": \"b\"}", "prompt", "must be a string, got null null");
        bad("{\"prompt\": \"a\", \"completion\": [\"b\"]}", "completion", "must be a non-empty string, got array [\"b\"]");
        bad("{\"prompt\": \"a\", \"completion\": \"\"}", "completion", "must be a non-empty string, got an empty string");
        bad("{\"prompt\": \"a\\ud800\", \"completion\": \"b\"}", "prompt", "unpaired surrogate \\uD800 at character 1");
        bad("{\"prompt\": \"a\", \"completion\": \"\\udc00b\"}", "completion", "unpaired surrogate \\uDC00 at character 0");
    }

    @Test
    void exactMessageAndGetters() throws IOException {
        Path f = write("{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"a\", \"completion\": 42}\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> SftReader.read(f));
        assertEquals(f + ":2: field \"completion\": must be a non-empty string, got number 42", e.getMessage());
        assertEquals(f.toString(), e.file());
        assertEquals(2, e.line());
        assertEquals("completion", e.field().orElseThrow());
        assertEquals("must be a non-empty string, got number 42", e.problem());
    }

    @Test
    void invalidUtf8IsNamedWithItsColumn() throws IOException {
        Path f = dir.resolve("bytes.jsonl");
        byte[] good = "{\"prompt\": \"a\", \"completion\": \"b\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'p', (byte) 0xC3, '"', '}', '\n'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good);
        out.write(bad);
        Files.write(f, out.toByteArray());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> SftReader.read(f));
        assertEquals(f + ":2: invalid UTF-8: byte 0xC3 at column 4", e.getMessage());
        assertTrue(e.field().isEmpty());
    }

    @Test
    void overLongLinesAreRefusedWithoutReadingThemWhole() throws IOException {
        String longLine = "{\"prompt\": \"" + "x".repeat(5000) + "\", \"completion\": \"b\"}";
        Path f = write("{\"prompt\": \"a\", \"completion\": \"b\"}\n" + longLine + "\n");
        SftReader.Options small = SftReader.Options.strict().withMaxLineBytes(1000);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> SftReader.read(f, small));
        assertEquals(f + ":2: the line is longer than 1000 bytes (Options.maxLineBytes)", e.getMessage());
        // exactly at the cap is fine, CRLF or not
        String atCap = "{\"prompt\": \"" + "x".repeat(1000 - 33) + "\", \"completion\": \"b\"}";
        assertEquals(1000, atCap.length());
        Path g = write(atCap + "\r\n" + atCap);
        assertEquals(2, SftReader.read(g, small).size());
    }

    @Test
    void lenientModeSkipsAndCountsUpToItsLimit() throws IOException {
        String good = "{\"prompt\": \"a\", \"completion\": \"b\"}\n";
        Path f = write(good + "oops\n" + good + "{\"prompt\": 1, \"completion\": \"b\"}\n" + good);
        SftDataset d = SftReader.read(f, SftReader.Options.lenient(2));
        assertEquals(3, d.size());
        assertEquals(2, d.skipped().size());
        assertEquals(List.of(2L, 4L), d.skipped().stream().map(DatasetFormatException::line).toList());
        assertEquals("prompt", d.skipped().get(1).field().orElseThrow());
        assertEquals(List.of(1L, 3L, 5L), d.examples().stream().map(SftExample::line).toList());

        DatasetFormatException over = assertThrows(DatasetFormatException.class,
                () -> SftReader.read(f, SftReader.Options.lenient(1)));
        assertEquals(f + ":4: field \"prompt\": more than 1 bad lines, the lenient limit; this one: "
                + "must be a string, got number 1", over.getMessage());
        assertEquals(4, over.line());
        assertThrows(DatasetFormatException.class, () -> SftReader.read(f, SftReader.Options.lenient(0)));
        assertThrows(DatasetFormatException.class, () -> SftReader.read(f));
    }

    private void bad(String line, String field, String problem) {
        Path f;
        try {
            f = write("{\"prompt\": \"ok\", \"completion\": \"ok\"}\n\n" + line + "\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> SftReader.read(f), line);
        String prefix = f + ":3: " + (field == null ? "" : "field \"" + field + "\": ");
        assertTrue(e.getMessage().startsWith(prefix + problem), "for " + line + ": " + e.getMessage());
        assertEquals(3, e.line());
        assertEquals(field, e.field().orElse(null));
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "sft", ".jsonl");
        Files.writeString(f, text);
        return f;
    }
}
