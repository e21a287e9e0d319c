package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Corpus;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.tokenizer.CharTokenizer;

class PpoPromptsTest {

    @Test
    void bundledPromptsEncodeWithAMobyDickCharacterTokenizer() {
        List<String> prompts = PpoPrompts.bundled();
        assertEquals(32, prompts.size());
        CharTokenizer chars = CharTokenizer.fromCorpus(Corpus.mobyDick());
        prompts.forEach(p -> assertTrue(chars.encode(p).length > 0, p));
    }

    @Test
    void readsJsonlAndTextAndNamesTheBadLine(@TempDir Path dir) throws Exception {
        Path jsonl = dir.resolve("p.jsonl"), text = dir.resolve("p.txt"), bad = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"prompt\": \"a\", \"id\": 1}\n\n{\"prompt\": \"b c\"}\n");
        Files.writeString(text, "one\n\ntwo three\n");
        Files.writeString(bad, "{\"prompt\": \"a\"}\n{\"text\": \"b\"}\n");
        assertEquals(List.of("a", "b c"), PpoPrompts.read(jsonl));
        assertEquals(List.of("one", "two three"), PpoPrompts.read(text));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PpoPrompts.read(bad));
        assertEquals(2, e.line());
    }

    @Test
    void bytesThatAreNotUtf8AreABadLineNamedAsSuch(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PpoPrompts.read(latin1));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("invalid UTF-8: byte 0xE9 at byte offset 6"), e.getMessage());
    }

    @Test
    void batchesCycleThroughThePromptsByIteration() {
        List<String> all = List.of("a", "b", "c");
        assertEquals(List.of("a", "b"), PpoPrompts.batch(all, 0, 2));
        assertEquals(List.of("c", "a"), PpoPrompts.batch(all, 1, 2));
        assertEquals(List.of("b", "c"), PpoPrompts.batch(all, 2, 2));
    }
}
