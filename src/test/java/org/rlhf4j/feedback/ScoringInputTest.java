package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.DatasetFormatException;

/** score's input lines: read as strictly as preference files, errors naming file, 1-based line and field. */
class ScoringInputTest {

    private static ScoringInput.Data read(byte[] bytes, PreferenceReader.Options options) throws IOException {
        return ScoringInput.read(new ByteArrayInputStream(bytes), "in.jsonl", options);
    }

    private static ScoringInput.Data read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), PreferenceReader.Options.strict());
    }

    private static DatasetFormatException error(String text) {
        return assertThrows(DatasetFormatException.class, () -> read(text));
    }

    @Test
    void theThreeFormsAndTheirFields() throws IOException {
        ScoringInput.Data d = read("{\"prompt\": \"q\", \"completion\": \"a\", \"id\": 3}\n\n{\"text\": \"t\"}\r\n"
                + "{\"prompt\": \"q\", \"chosen\": \"c\", \"rejected\": \"r\"}");
        assertEquals(3, d.items().size());
        assertEquals(List.of("q"), d.items().get(0).prompts());
        assertEquals(3, d.items().get(0).line().get("id").asInt(), "other fields are kept for the output");
        assertEquals(List.of(""), d.items().get(1).prompts());
        assertTrue(d.items().get(2).pairwise());
        assertEquals(List.of("c", "r"), d.items().get(2).responses());
    }

    @Test
    void anEmptyResponseIsScoredWhenThereIsAPrompt() throws IOException {
        assertEquals(List.of(""), read("{\"prompt\": \"q\", \"completion\": \"\"}\n").items().get(0).responses());
        DatasetFormatException e = error("{\"completion\": \"\"}\n");
        assertEquals("completion", e.field().orElseThrow());
        assertTrue(e.getMessage().startsWith("in.jsonl:1: field \"completion\": empty, and no prompt"), e.getMessage());
        assertEquals("text", error("{\"text\": \"\"}\n").field().orElseThrow());
    }

    @Test
    void invalidUtf8NamesTheLineAndTheByte() {
        byte[] bad = "{\"text\": \"ok\"}\n{\"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> read(bad, PreferenceReader.Options.strict()));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("in.jsonl:2: invalid UTF-8: byte 0xE9"), "was only 'Input length = 1': "
                + e.getMessage());
    }

    @Test
    void duplicateKeysTrailingContentAndLongLinesAreRefused() {
        assertTrue(error("{\"text\": \"a\", \"text\": \"b\"}\n").getMessage().contains("Duplicate field 'text'"));
        assertTrue(error("{\"text\": \"a\"} junk\n").getMessage().startsWith("in.jsonl:1: not valid JSON"));
        assertTrue(error("{\"text\": \"a\"}\n{\"text\": \"b\"}{}\n").getMessage().startsWith("in.jsonl:2:"));
        String longLine = "{\"text\": \"" + "a".repeat(100) + "\"}\n";
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(
                longLine.getBytes(StandardCharsets.UTF_8), PreferenceReader.Options.strict().withMaxLineBytes(50)));
        assertTrue(e.getMessage().contains("longer than 50 bytes"), e.getMessage());
    }

    @Test
    void fieldsAreNamed() {
        assertEquals("completion", error("{\"completion\": 3}\n").field().orElseThrow());
        assertEquals("prompt", error("{\"prompt\": null, \"completion\": \"a\"}\n").field().orElseThrow());
        assertEquals("rejected", error("{\"prompt\": \"q\", \"chosen\": \"a\"}\n").field().orElseThrow());
        assertTrue(error("{\"prompt\": \"p\"}\n").getMessage().contains("needs \"completion\""));
        assertTrue(error("[1]\n").getMessage().contains("expected a JSON object"));
        assertTrue(error("{\"completion\": \"a\", \"text\": \"b\"}\n").getMessage().contains("give one"));
        assertFalse(error("{\"text\": \"\\ud800\"}\n").field().isEmpty(), "an unpaired surrogate is not text");
    }

    @Test
    void lenientModeSkipsAndCountsBadLines() throws IOException {
        byte[] text = "{\"text\": \"a\"}\n{\"text\": 1}\nnot json\n{\"text\": \"b\"}\n".getBytes(StandardCharsets.UTF_8);
        ScoringInput.Data d = read(text, PreferenceReader.Options.lenient(2));
        assertEquals(2, d.items().size());
        assertEquals(List.of(2L, 3L), d.skipped().stream().map(DatasetFormatException::line).toList());
        assertThrows(DatasetFormatException.class, () -> read(text, PreferenceReader.Options.lenient(1)));
    }
}
