package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending whole lines, and what opening a file after a crash does to its torn last line. */
class PreferenceWriterTest {

    private static final Preference A = new PairwisePreference("p1", "good", "bad");
    private static final Preference B = new RankedPreference("p2", List.of("x", "y\nz", "w"), List.of(1, 2, 0));
    private static final Preference C = new RatedPreference("p3", "🙂 fine", 2.5);

    @TempDir
    Path dir;

    @Test
    void eachWriteAppendsExactlyOneLine() throws IOException {
        Path f = dir.resolve("sub/dir/labels.jsonl");
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            w.write(A);
            assertEquals(PreferenceJson.format(A) + "\n", Files.readString(f), "on disk as soon as write returns");
            w.write(B);
            assertEquals(2, w.written());
            assertEquals(0, w.droppedBytes());
        }
        try (PreferenceWriter w = PreferenceWriter.open(f, 8)) {
            w.write(C);
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size(), "the newline inside a completion is escaped");
        assertEquals("{\"prompt\":\"p2\",\"completions\":[\"x\",\"y\\nz\",\"w\"],\"ranking\":[1,2,0]}", lines.get(1));
        assertEquals(List.of(A, B, C), PreferenceReader.read(f).records());
        assertTrue(Files.readString(f).endsWith("\n"));
    }

    @Test
    void aTornTailIsTruncatedAndEarlierRecordsSurvive() throws IOException {
        Path f = dir.resolve("labels.jsonl");
        String complete = PreferenceJson.format(A) + "\n" + PreferenceJson.format(B) + "\n";
        String torn = PreferenceJson.format(C).substring(0, 17); // a crash mid-write
        Files.writeString(f, complete + torn);
        assertThrows(org.rlhf4j.data.DatasetFormatException.class, () -> PreferenceReader.read(f));
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            assertEquals(torn.getBytes(StandardCharsets.UTF_8).length, w.droppedBytes());
            assertEquals(complete, Files.readString(f), "opening alone repairs the file");
            w.write(C);
        }
        assertEquals(List.of(A, B, C), PreferenceReader.read(f).records());
    }

    @Test
    void aCompleteRecordWithoutTheFinalNewlineIsKept() throws IOException {
        Path f = dir.resolve("by-hand.jsonl");
        Files.writeString(f, PreferenceJson.format(A) + "\n" + PreferenceJson.format(B));
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            assertEquals(0, w.droppedBytes());
            w.write(C);
        }
        assertEquals(List.of(A, B, C), PreferenceReader.read(f).records());
    }

    @Test
    void aTornTailLongerThanOneReadChunkIsFoundFromTheEnd() throws IOException {
        Path f = dir.resolve("long.jsonl");
        String complete = PreferenceJson.format(A) + "\n";
        String torn = "{\"prompt\": \"" + "é".repeat(100_000); // 200,012 bytes, over three 64 KiB chunks
        Files.writeString(f, complete + torn);
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            assertEquals(torn.getBytes(StandardCharsets.UTF_8).length, w.droppedBytes());
            w.write(B);
        }
        assertEquals(List.of(A, B), PreferenceReader.read(f).records());
        // a torn first line leaves an empty file
        Files.writeString(f, "{\"chosen\": \"a\", \"rej");
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            assertEquals(20, w.droppedBytes());
        }
        assertEquals(0, Files.size(f));
    }

    @Test
    void oneWriterPerFile() throws IOException {
        Path f = dir.resolve("labels.jsonl");
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            IOException e = assertThrows(IOException.class, () -> PreferenceWriter.open(f));
            assertTrue(e.getMessage().contains("already open for writing"), e.getMessage());
            w.write(A);
        }
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            w.write(B);
        }
        assertEquals(List.of(A, B), PreferenceReader.read(f).records());
    }

    @Test
    void textThatIsNotUnicodeIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path f = dir.resolve("labels.jsonl");
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            w.write(A);
            byte[] before = Files.readAllBytes(f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new PairwisePreference("", "ok", "half \uD83D pair")));
            assertTrue(e.getMessage().contains("unpaired surrogate \\uD83D at character 5"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(f));
        }
        PreferenceWriter closed = PreferenceWriter.open(f);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.write(A));
        assertThrows(IllegalArgumentException.class, () -> PreferenceWriter.open(f, 0));
    }

    @Test
    void promptsInSeesWhatTheWriterWrote() throws IOException {
        Path f = dir.resolve("labels.jsonl");
        List<Preference> all = new ArrayList<>(List.of(A, B, C, new PairwisePreference("p1", "again", "other")));
        try (PreferenceWriter w = PreferenceWriter.open(f)) {
            for (Preference p : all) {
                w.write(p);
            }
        }
        Files.writeString(f, "{\"prompt\": \"p4\", \"chosen\"", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("p1", "p2", "p3"), List.copyOf(PreferenceReader.promptsIn(f)));
    }
}
