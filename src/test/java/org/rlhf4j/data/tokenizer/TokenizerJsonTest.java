package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a tokenizer as JSON and reading it back; bad files and bad JSON give a named error. */
class TokenizerJsonTest {

    @TempDir
    Path dir;

    @Test
    void charTokenizerRoundTrips() {
        CharTokenizer t = CharTokenizer.fromCorpus("To be, or not to be 😀");
        String json = t.toJson().toString();
        assertTrue(json.startsWith("{\"type\":\"char\",\"code_points\":[32,44,"), json);
        Tokenizer back = Tokenizer.fromJson(json);
        assertEquals(t, back);
        assertArrayEquals(t.encode("not to be"), back.encode("not to be"));
    }

    @Test
    void bundledGpt2IsSavedByReference() {
        ObjectNode json = Gpt2Tokenizer.bundled().toJson();
        assertEquals("bundled", json.get("source").asText());
        assertSame(Gpt2Tokenizer.bundled(), Tokenizer.fromJson(json.toString()));
        json.put("vocab_bpe_sha256", "0".repeat(64));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Tokenizer.fromJson(json));
        assertTrue(e.getMessage().contains("\"vocab_bpe_sha256\""), e.getMessage());
    }

    @Test
    void otherGpt2FilesAreLoadedAndSavedInline() throws IOException {
        Gpt2Tokenizer t = tiny();
        // bytes are the 256 single tokens; "ab" is merged from a + b, " ab" from Ġ + ab
        int[] ids = t.encode("ab ab abc");
        assertEquals("ab ab abc", t.decode(ids));
        assertEquals(t.encode("ab")[0], 257);
        assertArrayEquals(new int[] {257, 258, 258, 'c' - '!'}, ids);
        String json = t.toJson().toString();
        Tokenizer back = Tokenizer.fromJson(json);
        assertArrayEquals(ids, back.encode("ab ab abc"));
        assertEquals(t.vocabSize(), back.vocabSize());
        assertEquals(256, back.eotId().orElseThrow());
        // "xy" is a token but no merge rule makes it: BPE (GPT-2's encoder.py) gives x, y
        assertArrayEquals(new int[] {'x' - '!', 'y' - '!'}, t.encode("xy"));
        assertEquals("xy", t.decode(new int[] {259}));
    }

    @Test
    void badFilesAreNamed() throws IOException {
        assertBadFiles("{\"a\": 0, \"a\": 1}", "#version: 0.2\n", "Duplicate field 'a'");
        assertBadFiles("[1, 2]", "", "expected a JSON object");
        assertBadFiles("{\"a\": -1}", "", "ids are non-negative integers");
        assertBadFiles("{\"a\": 0, \"b\": 2}", "", "no token has id 1");
        assertBadFiles("{\"\\u0001\": 0}", "", "is not spelled in GPT-2's byte alphabet");
        String encoder = tinyEncoder();
        assertBadFiles(encoder, "#version: 0.2\na b c\n", "vocab.bpe line 2: expected \"left right\"");
        assertBadFiles(encoder, "#version: 0.2\na q\n", "names \"aq\", which is not a token");
        assertBadFiles(encoder, "#version: 0.2\na b\na b\n", "merge rule 1 repeats rule 0");
        assertBadFiles("{\"a\": 0}", "", "byte 0 has no token");
    }

    @Test
    void badJsonIsNamed() {
        assertThrows(TokenizerFormatException.class, () -> Tokenizer.fromJson("not json"));
        assertBadJson("[]", "expected an object");
        assertBadJson("{\"type\": \"sentencepiece\"}", "unknown \"type\" sentencepiece");
        assertBadJson("{\"type\": \"char\"}", "\"code_points\" must be an array");
        assertBadJson("{\"type\": \"char\", \"code_points\": [97, \"b\"]}", "code_points[1] is \"b\"");
        assertBadJson("{\"type\": \"char\", \"code_points\": [97, 97]}", "listed twice");
        assertBadJson("{\"type\": \"gpt2\", \"source\": \"http://x\"}", "\"source\" must be");
        assertBadJson("{\"type\": \"gpt2\", \"source\": \"inline\"}", "needs an \"encoder\" object");
    }

    private void assertBadJson(String json, String expected) {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Tokenizer.fromJson(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private void assertBadFiles(String encoder, String merges, String expected) throws IOException {
        Path enc = Files.writeString(dir.resolve("encoder.json"), encoder);
        Path bpe = Files.writeString(dir.resolve("vocab.bpe"), merges);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Gpt2Tokenizer.load(enc, bpe));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** A GPT-2-style vocabulary: the 256 byte tokens (ids 0-255), <|endoftext|>, "ab", "Ġab", and "xy", which no rule makes. */
    private Gpt2Tokenizer tiny() throws IOException {
        Path enc = Files.writeString(dir.resolve("encoder.json"), tinyEncoder());
        Path bpe = Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\na b\nĠ ab\n", StandardCharsets.UTF_8);
        return Gpt2Tokenizer.load(enc, bpe);
    }

    private static String tinyEncoder() {
        StringBuilder sb = new StringBuilder("{");
        // byte b gets id (position of its character in GPT-2's order): printable '!'.. first
        java.util.List<Character> chars = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) {
            chars.add(ByteLevel.charOf((byte) b));
        }
        chars.sort(null);
        for (int id = 0; id < 256; id++) {
            sb.append(quote(String.valueOf(chars.get(id)))).append(": ").append(id).append(", ");
        }
        sb.append("\"<|endoftext|>\": 256, \"ab\": 257, \"Ġab\": 258, \"xy\": 259}");
        return sb.toString();
    }

    private static String quote(String s) {
        char c = s.charAt(0);
        return c == '"' || c == '\\' ? "\"\\" + c + "\"" : "\"" + c + "\"";
    }
}
