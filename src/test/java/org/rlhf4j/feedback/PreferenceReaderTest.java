package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.DatasetFormatException;

/** Every kind of bad line gets its own message naming file, line and field; lenient mode counts. */
class PreferenceReaderTest {

    private static final String GOOD = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}";

    @TempDir
    Path dir;

    @Test
    void readsTheThreeFormsInOrder() throws IOException {
        Path f = write("{\"chosen\": \"Q: 2+2? A: 4\", \"rejected\": \"Q: 2+2? A: 5\"}\n"
                + "\n"
                + "{\"prompt\": \"Q\", \"completions\": [\"x\", \"y\", \"z\"], \"ranking\": [2, 0, 1], \"id\": 7}\r\n"
                + "  \t\n"
                + "{\"prompt\": \"é😀\", \"completion\": \"\\u00e9\\ud83d\\ude00\\nok\", \"rating\": -3.5, \"meta\": {\"a\": [1]}}\n"
                + "{\"prompt\": \"\", \"completion\": \"c\", \"rating\": 4}");
        PreferenceData d = PreferenceReader.read(f);
        assertEquals(List.of(
                new PairwisePreference("", "Q: 2+2? A: 4", "Q: 2+2? A: 5"),
                new RankedPreference("Q", List.of("x", "y", "z"), List.of(2, 0, 1)),
                new RatedPreference("é😀", "é😀\nok", -3.5),
                new RatedPreference("", "c", 4)), d.records());
        assertEquals(0, d.badLines());
        assertEquals(f.toString(), d.source());
        assertEquals("z", ((RankedPreference) d.records().get(1)).atRank(0));
    }

    @Test
    void eachMalformedLineIsNamed() {
        // truncated and otherwise broken JSON: the line as a whole
        bad("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"", null, "not valid JSON: Unexpected end-of-input");
        bad("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejec", null, "not valid JSON: Unexpected end-of-input");
        bad("{\"chosen\": \"b\", \"rejected\": \"c\"} {}", null, "not valid JSON: Trailing token");
        bad("{\"chosen\": \"b\", \"chosen\": \"d\", \"rejected\": \"c\"}", null, "not valid JSON: Duplicate field 'chosen'");
        bad("{\"completion\": \"b\", \"rating\": NaN}", null, "not valid JSON: Non-standard token 'NaN'");
        bad("[\"a\", \"b\"]", null, "expected one of the preference forms {\"chosen\", \"rejected\"}, "
                + "{\"completions\", \"ranking\"} or {\"completion\", \"rating\"}, got array");
        bad("{\"prompt\": \"a\", \"text\": \"b\"}", null, "expected one of the preference forms");
        bad("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\", \"rating\": 1}", null,
                "fields of more than one preference form on one line [\"prompt\", \"chosen\", \"rejected\", \"rating\"]");
        // missing fields
        bad("{\"prompt\": \"a\", \"chosen\": \"b\"}", "rejected", "missing; expected one of the preference forms");
        bad("{\"prompt\": \"a\", \"ranking\": [0, 1]}", "completions", "missing");
        bad("{\"prompt\": \"a\", \"completions\": [\"x\", \"y\"]}", "ranking", "missing");
        bad("{\"prompt\": \"a\", \"completion\": \"x\"}", "rating", "missing");
        bad("{\"prompt\": \"a\", \"rating\": 3}", "completion", "missing");
        // wrong types
        bad("{\"chosen\": 42, \"rejected\": \"c\"}", "chosen", "must be a non-empty string, got number 42");
        bad("{\"prompt\": null, \"chosen\": \"b\", \"rejected\": \"c\"}", "prompt", "must be a string, got null null");
        bad("{\"prompt\": [\"a\"], \"chosen\": \"b\", \"rejected\": \"c\"}", "prompt", "must be a string, got array [\"a\"]");
        bad("{\"completions\": \"x\", \"ranking\": [0]}", "completions", "must be an array of at least 2 strings, got string \"x\"");
        bad("{\"completions\": [\"x\", 3], \"ranking\": [0, 1]}", "completions[1]", "must be a non-empty string, got number 3");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": \"0,1\"}", "ranking", "must be an array of completion indices");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [0, \"1\"]}", "ranking[1]", "must be an integer index into completions, got string \"1\"");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [0.0, 1]}", "ranking[0]", "must be an integer index into completions, got number 0.0");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [1, 4294967296]}", "ranking[1]", "must be an integer index");
        bad("{\"completion\": \"x\", \"rating\": \"4\"}", "rating", "must be a number, got string \"4\"");
        bad("{\"completion\": \"x\", \"rating\": true}", "rating", "must be a number, got boolean true");
        bad("{\"completion\": \"x\", \"rating\": 1e999}", "rating", "must be a finite number, got one beyond the range of a double");
        // empty strings
        bad("{\"prompt\": \"a\", \"chosen\": \"\", \"rejected\": \"c\"}", "chosen", "must be a non-empty string, got an empty string");
        bad("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"\"}", "rejected", "must be a non-empty string, got an empty string");
        bad("{\"completions\": [\"x\", \"\"], \"ranking\": [0, 1]}", "completions[1]", "must be a non-empty string, got an empty string");
        bad("{\"completion\": \"\", \"rating\": 1}", "completion", "must be a non-empty string, got an empty string");
        // rankings that are not permutations
        bad("{\"completions\": [\"x\"], \"ranking\": [0]}", "completions", "must hold at least 2 completions to rank, got 1");
        bad("{\"completions\": [\"x\", \"y\", \"z\"], \"ranking\": [0, 1]}", "ranking", "has 2 entries for 3 completions");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [0, 1, 1]}", "ranking", "has 3 entries for 2 completions");
        bad("{\"completions\": [\"x\", \"y\", \"z\"], \"ranking\": [2, 0, 2]}", "ranking[2]", "index 2 appears twice; a ranking is a permutation of 0..2 (no ties)");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [0, 2]}", "ranking[1]", "index 2 is outside 0..1");
        bad("{\"completions\": [\"x\", \"y\"], \"ranking\": [-1, 0]}", "ranking[0]", "index -1 is outside 0..1");
        bad("{\"chosen\": \"a\", \"rejected\": \"b\", \"meta\": " + "[".repeat(5000) + "]".repeat(5000) + "}", null,
                "not valid JSON: Document nesting depth (1001) exceeds the maximum allowed");
        // not text
        bad("{\"prompt\": \"a\\ud800\", \"chosen\": \"b\", \"rejected\": \"c\"}", "prompt", "unpaired surrogate \\uD800 at character 1");
    }

    @Test
    void exactMessageAndGetters() throws IOException {
        Path f = write(GOOD + "\n{\"prompt\": \"a\", \"chosen\": 42, \"rejected\": \"b\"}\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f));
        assertEquals(f + ":2: field \"chosen\": must be a non-empty string, got number 42", e.getMessage());
        assertEquals(f.toString(), e.file());
        assertEquals(2, e.line());
        assertEquals("chosen", e.field().orElseThrow());
    }

    @Test
    void invalidUtf8NamesTheByteItsColumnAndItsOffset() throws IOException {
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'c', (byte) 0xC3, '"', '}', '\n'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good);
        out.write(bad);
        Path f = dir.resolve("bytes.jsonl");
        Files.write(f, out.toByteArray());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f));
        assertEquals(f + ":2: invalid UTF-8: byte 0xC3 at column 4 (byte offset " + (good.length + 3) + " of the file)",
                e.getMessage());
        assertTrue(e.field().isEmpty());
    }

    @Test
    void aTwentyMegabyteLineIsRefusedWithoutHoldingIt() throws IOException {
        long size = 20L << 20;
        // a stream that produces the line lazily: the reader may only keep maxLineBytes of it
        InputStream huge = new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size + 1) {
                    return -1;
                }
                long p = pos++;
                return p == size ? '\n' : p == 0 ? '{' : 'x';
            }
        };
        PreferenceReader.Options options = PreferenceReader.Options.strict();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> PreferenceReader.read(huge, "huge.jsonl", options));
        assertEquals("huge.jsonl:1: the line is longer than 1048576 bytes (Options.maxLineBytes)", e.getMessage());
        // and on disk, followed by a good line, in lenient mode
        Path f = dir.resolve("huge.jsonl");
        try (var w = Files.newBufferedWriter(f)) {
            w.write("{\"prompt\": \"");
            for (int i = 0; i < 20; i++) {
                w.write("y".repeat(1 << 20));
            }
            w.write("\", \"chosen\": \"a\", \"rejected\": \"b\"}\n" + GOOD + "\n");
        }
        PreferenceData d = PreferenceReader.read(f, PreferenceReader.Options.lenient(1));
        assertEquals(1, d.size());
        assertEquals(1, d.skipped().get(0).line());
        // exactly at the cap is fine, CRLF or not
        int cap = GOOD.length();
        Path g = write(GOOD + "\r\n" + GOOD);
        assertEquals(2, PreferenceReader.read(g, options.withMaxLineBytes(cap)).size());
        assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(g, options.withMaxLineBytes(cap - 1)));
    }

    @Test
    void emptyFilesAreEmptyUnlessRecordsAreRequired() throws IOException {
        Path empty = write("");
        Path blank = write("\n  \n\r\n");
        assertEquals(0, PreferenceReader.read(empty).size());
        assertEquals(0, PreferenceReader.read(blank).size());
        PreferenceReader.Options require = PreferenceReader.Options.strict().withRequireRecords(true);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(empty, require));
        assertEquals(empty + ":1: the file is empty; expected preference records (Options.requireRecords)", e.getMessage());
        DatasetFormatException b = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(blank, require));
        assertEquals(blank + ":3: no preference record in the file (0 bad lines skipped); expected at least one "
                + "(Options.requireRecords)", b.getMessage());
        assertEquals(1, PreferenceReader.read(write(GOOD), require).size());
    }

    @Test
    void byteOrderMarkOnLineOneIsDropped() throws IOException {
        Path f = dir.resolve("bom.jsonl");
        Files.write(f, ("\uFEFF" + GOOD + "\n\uFEFF" + GOOD).getBytes(StandardCharsets.UTF_8));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f));
        assertEquals(2, e.line(), "a byte-order mark is only allowed before line 1");
    }

    @Test
    void lenientModeSkipsAndCountsUpToItsLimit() throws IOException {
        Path f = write(GOOD + "\noops\n" + GOOD + "\n{\"chosen\": 1, \"rejected\": \"b\"}\n" + GOOD + "\n");
        PreferenceData d = PreferenceReader.read(f, PreferenceReader.Options.lenient(2));
        assertEquals(3, d.size());
        assertEquals(2, d.badLines());
        assertEquals(List.of(2L, 4L), d.skipped().stream().map(DatasetFormatException::line).toList());
        assertEquals("chosen", d.skipped().get(1).field().orElseThrow());

        DatasetFormatException over = assertThrows(DatasetFormatException.class,
                () -> PreferenceReader.read(f, PreferenceReader.Options.lenient(1)));
        assertEquals(f + ":4: field \"chosen\": more than 1 bad lines, the lenient limit; this one: "
                + "must be a non-empty string, got number 1", over.getMessage());
        assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f));
        DatasetFormatException none = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(
                write("x\ny\n"), PreferenceReader.Options.lenient(5).withRequireRecords(true)));
        assertTrue(none.getMessage().contains("no preference record in the file (2 bad lines skipped)"), none.getMessage());
    }

    @Test
    void aTornLastLineIsNamedAsSuchAndIgnoredByPromptsIn() throws IOException {
        Path f = write(GOOD + "\n{\"prompt\": \"q2\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\": \"q3\", \"cho");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("the last line has no line end: a write cut short?"), e.getMessage());
        assertEquals(Set.of("p", "q2"), PreferenceReader.promptsIn(f));
        assertEquals(List.of("p", "q2"), List.copyOf(PreferenceReader.promptsIn(f)), "first-seen order");
        assertEquals(Set.of(), PreferenceReader.promptsIn(dir.resolve("absent.jsonl")));
        // a bad line that is not the last is not a torn write: it throws
        Path g = write("oops\n" + GOOD + "\n");
        assertThrows(DatasetFormatException.class, () -> PreferenceReader.promptsIn(g));
    }

    @Test
    void keysInIdentifiesItemsByPromptAndCompletionSet() throws IOException {
        Path f = write("{\"chosen\": \"a\", \"rejected\": \"b\"}\n"
                + "{\"completions\": [\"b\", \"a\"], \"ranking\": [0, 1]}\n"
                + "{\"completions\": [\"c\", \"d\"], \"ranking\": [1, 0]}\n"
                + "{\"prompt\": \"p\", \"completion\": \"a\", \"rating\": 1}\n{\"prompt\": \"x\", \"cho");
        assertEquals(List.of(Candidates.key("", List.of("a", "b")), Candidates.key("", List.of("c", "d")),
                Candidates.key("p", List.of("a"))), List.copyOf(PreferenceReader.keysIn(f)),
                "a pairwise and a ranked record of the same item share a key; prompt-less items stay apart");
        assertEquals(Set.of(""), PreferenceReader.promptsIn(f).stream().filter(String::isEmpty).collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(), PreferenceReader.keysIn(dir.resolve("absent.jsonl")));
        assertTrue(!Candidates.key("a|1:b", List.of("c", "d")).equals(Candidates.key("a", List.of("b", "c", "d"))),
                "lengths keep keys apart where separators would not");
    }

    private void bad(String line, String field, String problem) {
        Path f;
        try {
            f = write(GOOD + "\n\n" + line + "\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PreferenceReader.read(f), line);
        String prefix = f + ":3: " + (field == null ? "" : "field \"" + field + "\": ");
        assertTrue(e.getMessage().startsWith(prefix + problem), "for " + line + ": " + e.getMessage());
        assertEquals(3, e.line());
        assertEquals(field, e.field().orElse(null));
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "prefs", ".jsonl");
        Files.writeString(f, text);
        return f;
    }
}
