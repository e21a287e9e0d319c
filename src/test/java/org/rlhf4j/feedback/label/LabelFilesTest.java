package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.DatasetFormatException;

/** Prompt files (text or JSONL) and prepared-candidate files. */
class LabelFilesTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void textPromptsAreOnePerLineBlanksAndRepeatsDropped() throws IOException {
        Path f = file("prompts.txt", "\uFEFFWrite a haiku\r\n\n  \nTell a joke\nWrite a haiku\n{not json, but text: the first line decides}\n");
        assertEquals(List.of("Write a haiku", "Tell a joke", "{not json, but text: the first line decides}"), PromptFile.read(f));
        // a first line of only a byte-order mark is blank, not an empty prompt (found by the fuzz campaign)
        assertEquals(List.of("hi"), PromptFile.read(file("bom.txt", "\uFEFF\r\nhi\n")));
        assertEquals(List.of("x"), PromptFile.read(file("bom.jsonl", "\uFEFF\n{\"prompt\": \"x\"}\n")));
    }

    @Test
    void jsonlPromptsComeFromThePromptField() throws IOException {
        Path f = file("p.txt", "{\"prompt\": \"a\\nb\", \"completion\": \"ignored\"}\n\n{\"prompt\": \"c\"}\n");
        assertEquals(List.of("a\nb", "c"), PromptFile.read(f));
        assertEquals(List.of("x"), PromptFile.read(file("p.jsonl", "{\"prompt\": \"x\"}")));
    }

    @Test
    void badJsonlPromptsNameFileLineAndField() throws IOException {
        assertError(() -> PromptFile.read(file("a.jsonl", "{\"prompt\": \"x\"}\n{\"prompt\": 3}\n")), "a.jsonl:2: field \"prompt\": must be a non-empty string, got 3");
        assertError(() -> PromptFile.read(file("b.jsonl", "{\"prompt\": \"x\"}\n\n{\"prompt\": \"\"}\n")), "b.jsonl:3: field \"prompt\"");
        assertError(() -> PromptFile.read(file("c.jsonl", "{\"prompt\": \"x\"\n")), "c.jsonl:1: not valid JSON");
        assertError(() -> PromptFile.read(file("d.jsonl", "[1]\n")), "d.jsonl:1: expected a JSON object");
        Path latin1 = dir.resolve("e.txt");
        Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertError(() -> PromptFile.read(latin1), "e.txt:1: invalid UTF-8: byte 0xE9 at column 4");
    }

    @Test
    void candidateFilesGiveEachPromptItsCompletionsInOrder() throws IOException {
        CandidateFile c = CandidateFile.read(file("c.jsonl",
                "{\"prompt\": \"p\", \"completions\": [\"a\", \"b\", \"c\"], \"model\": \"ignored\"}\n\n"
                        + "{\"prompt\": \"q\", \"chosen\": \"x\", \"rejected\": \"y\"}\n"
                        + "{\"prompt\": \"p\", \"completions\": [\"again\", \"later\"]}\n"));
        assertEquals(List.of("p", "q"), c.prompts());
        assertEquals(List.of("a", "b", "c"), c.candidates("p", 2), "the first line of a prompt; the session keeps k");
        assertEquals(List.of("x", "y"), c.candidates("q", 2), "a pairwise line, to label again");
        assertEquals(List.of(), c.candidates("absent", 2));
        assertEquals(1, c.repeats());
    }

    @Test
    void badCandidateLinesNameFileLineAndField() throws IOException {
        // The shared reader (PreferenceReader.readCandidates) decides; these pin what a labeller sees.
        assertError(() -> CandidateFile.read(file("a.jsonl", "{\"prompt\": \"p\", \"completions\": [\"a\"]}\n")),
                "a.jsonl:1: field \"completions\"");
        assertError(() -> CandidateFile.read(file("b.jsonl", "{\"prompt\": \"p\", \"completions\": [\"a\", 2]}\n")),
                "b.jsonl:1: field \"completions[1]\"");
        assertError(() -> CandidateFile.read(file("c.jsonl", "{\"prompt\": \"p\", \"completions\": [\"a\", \"b\"]}\nnope\n")),
                "c.jsonl:2:");
    }

    private static void assertError(org.junit.jupiter.api.function.Executable read, String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, read);
        assertTrue(e.getMessage().contains(fragment), e.getMessage() + " should contain " + fragment);
    }
}
