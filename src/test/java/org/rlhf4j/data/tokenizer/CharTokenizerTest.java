package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharTokenizer t = CharTokenizer.fromCorpus("hello world\n");
        // sorted(set("hello world\n")) = ['\n', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w'], as nanoGPT
        assertEquals(9, t.vocabSize());
        assertArrayEquals(new int[] {4, 3, 5, 5, 6}, t.encode("hello"));
        assertArrayEquals(new int[] {0, 1}, t.encode("\n "));
        assertEquals("world", t.decode(t.encode("world")));
        assertTrue(t.eotId().isEmpty());
    }

    @Test
    void aCharacterIsACodePoint() {
        CharTokenizer t = CharTokenizer.fromCorpus("a😀b");
        assertEquals(3, t.vocabSize(), "the emoji is one character, not two UTF-16 halves");
        assertArrayEquals(new int[] {0, 2, 1}, t.encode("a😀b"));
        assertEquals("a😀b", t.decode(new int[] {0, 2, 1}));
    }

    @Test
    void unknownCharacterIsNamedWithItsPosition() {
        CharTokenizer t = CharTokenizer.fromCorpus("abc ");
        UnknownCharacterException e = assertThrows(UnknownCharacterException.class, () -> t.encode("ab cé"));
        assertEquals("character 'é' (U+00E9) at index 4 (code point 4) is not in the vocabulary of 4 characters",
                e.getMessage());
        assertEquals(0xE9, e.codePoint());
        assertEquals(4, e.index());
        UnknownCharacterException emoji = assertThrows(UnknownCharacterException.class, () -> t.encode("😀😀\t"));
        assertEquals("character '😀' (U+1F600) at index 0 (code point 0) is not in the vocabulary of 4 characters",
                emoji.getMessage());
        UnknownCharacterException tab = assertThrows(UnknownCharacterException.class, () -> t.encode("a\t"));
        assertEquals("character U+0009 at index 1 (code point 1) is not in the vocabulary of 4 characters", tab.getMessage());
        UnknownCharacterException late = assertThrows(UnknownCharacterException.class,
                () -> CharTokenizer.fromCorpus("a😀").encode("😀a?"));
        assertEquals(3, late.index(), "UTF-16 index after a surrogate pair");
        assertTrue(late.getMessage().contains("(code point 2)"), late.getMessage());
    }

    @Test
    void badIdsAndEmptyCorporaAreRefused() {
        CharTokenizer t = CharTokenizer.fromCorpus("ab");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {0, 2}));
        assertEquals("CharTokenizer.decode: id 2 at position 1 is outside the vocabulary [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromCorpus(""));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofCodePoints('a', 'a'));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofCodePoints(0x110000));
    }

    @Test
    void shakespeareCharHas65Characters() throws Exception {
        java.nio.file.Path p = java.nio.file.Path.of("..", "shared", "data", "tinyshakespeare.txt");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(p), "tinyshakespeare.txt is not here");
        CharTokenizer t = CharTokenizer.fromCorpus(java.nio.file.Files.readString(p));
        assertEquals(65, t.vocabSize(), "nanoGPT's shakespeare_char reports vocab size 65");
        assertEquals('\n', t.codePointOf(0));
        assertEquals(' ', t.codePointOf(1));
    }
}
