package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** Known answers for the bundled GPT-2 tokenizer, its special token, its errors and its parts. */
class Gpt2TokenizerTest {

    private final Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();

    @Test
    void knownAnswers() {
        assertEquals(50257, gpt2.vocabSize());
        assertEquals(50000, gpt2.mergeCount());
        assertArrayEquals(new int[] {15496}, gpt2.encode("Hello"));
        assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world"));
        assertArrayEquals(new int[] {}, gpt2.encode(""));
        assertEquals("Ġthe", gpt2.spelling(262));
        assertArrayEquals(new int[] {262}, gpt2.encode(" the"));
        assertEquals("Hello world", gpt2.decode(new int[] {15496, 995}));
    }

    @Test
    void endOfTextIsSpecialOnlyWhenAllowed() {
        assertEquals(50256, gpt2.eotId().orElseThrow());
        assertArrayEquals(new int[] {50256}, gpt2.encode("<|endoftext|>", true));
        // as ordinary text: '<', '|', 'end', 'of', 'text', '|', '>' (jtokkit's encodeOrdinary agrees)
        int[] ordinary = Gpt2TokenizerReferenceTest.R50K.encodeOrdinary("<|endoftext|>").toArray();
        assertArrayEquals(ordinary, gpt2.encode("<|endoftext|>"));
        assertArrayEquals(ordinary, gpt2.encode("<|endoftext|>", false));
        assertTrue(ordinary.length > 1);
        // the pattern runs separately on each side of a special token
        String a = "The end.  ";
        String b = "  Chapter 2";
        int[] expected = concat(gpt2.encode(a), new int[] {50256, 50256}, gpt2.encode(b));
        assertArrayEquals(expected, gpt2.encode(a + "<|endoftext|><|endoftext|>" + b, true));
        assertEquals(a + "<|endoftext|><|endoftext|>" + b, gpt2.decode(expected));
    }

    @Test
    void everyTokenEncodesToItself() {
        // The whole-token shortcut in encode is exact: BPE of any token's bytes gives that token.
        for (int id = 0; id < gpt2.vocabSize(); id++) {
            if (id == 50256) {
                continue;
            }
            byte[] bytes = gpt2.decodeBytes(new int[] {id});
            assertArrayEquals(new int[] {id}, gpt2.mergeBytes(bytes), "token " + id + " " + gpt2.spelling(id));
        }
    }

    @Test
    void aCutThroughACharacterDecodesToReplacementCharacters() {
        int[] ids = gpt2.encode("東");
        assertTrue(ids.length > 1, "a CJK character is more than one byte-level token here");
        byte[] all = gpt2.decodeBytes(ids);
        assertArrayEquals("東".getBytes(java.nio.charset.StandardCharsets.UTF_8), all);
        assertTrue(gpt2.decode(new int[] {ids[0]}).contains("\ufffd"));
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> gpt2.decode(new int[] {1, 50257}));
        assertEquals("Gpt2Tokenizer.decode: id 50257 at position 1 is outside the vocabulary [0, 50257)", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpt2.decode(new int[] {-1}));
        IllegalArgumentException lone = assertThrows(IllegalArgumentException.class, () -> gpt2.encode("ab\ud800c"));
        assertEquals("Gpt2Tokenizer.encode: unpaired UTF-16 surrogate U+D800 at index 2; the text has no UTF-8 form"
                + " to encode", lone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpt2.encode("x\udc00", true));
        assertThrows(IllegalArgumentException.class, () -> gpt2.encode("\ud83d"));
    }

    @Test
    void longPiecesUseTheHeapAndMatchTheShortLoop() {
        String spaces = " ".repeat(5000);
        String word = "ab".repeat(3000);
        for (String s : List.of(spaces, word, spaces + "x", word + " " + word)) {
            assertEquals(s, gpt2.decode(gpt2.encode(s)));
            assertArrayEquals(Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(s).toArray(), gpt2.encode(s));
        }
        byte[] bytes = word.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = gpt2.encode(String.valueOf((char) bytes[i]))[0];
        }
        assertArrayEquals(gpt2.merger().mergeShort(tokens), gpt2.merger().mergeLong(tokens));
    }

    @Test
    void preTokenizerCutsAsGpt2() {
        assertEquals(List.of("Hello", ",", " world", "!"), pieces("Hello, world!"));
        assertEquals(List.of("I", "'m", " here", "'s", " they", "'ll"), pieces("I'm here's they'll"));
        assertEquals(List.of("I", "'m", " HERE", "'", "S"), pieces("I'm HERE'S"), "contractions are lower case only");
        assertEquals(List.of("a", "  ", " b"), pieces("a   b"), "a space run gives its last space to the word");
        assertEquals(List.of("a", "\n", "\n", "b"), pieces("a\n\nb"));
        assertEquals(List.of("x", "   "), pieces("x   "), "trailing whitespace stays whole");
        assertEquals(List.of(" 123", " 4", ".", "5"), pieces(" 123 4.5"));
        assertEquals(List.of("\t", "x"), pieces("\tx"));
        assertEquals(List.of("\u00a0", "x"), pieces("\u00a0x"), "no-break space is Unicode whitespace");
        assertEquals(List.of("😀👍", " ok"), pieces("😀👍 ok"));
        assertEquals(regexPieces("a\u001c\u001cb\u0085\u0085c"), pieces("a\u001c\u001cb\u0085\u0085c"));
    }

    static List<String> pieces(String s) {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < s.length(); ) {
            int end = Gpt2PreTokenizer.pieceEnd(s, start, s.length());
            out.add(s.substring(start, end));
            start = end;
        }
        return out;
    }

    static List<String> regexPieces(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = Gpt2PreTokenizer.PATTERN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void concurrentEncodingGivesTheSameTokens() throws Exception {
        // Four threads share the piece cache (and may clear it) while encoding different texts.
        String[] texts = new String[4];
        int[][] expected = new int[4][];
        for (int i = 0; i < 4; i++) {
            texts[i] = MixedText.generate(100 + i, 20_000);
            expected[i] = Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(texts[i]).toArray();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<int[]>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 4; i++) {
                    String t = texts[i];
                    results.add(pool.submit(() -> gpt2.encode(t)));
                }
            }
            for (int k = 0; k < results.size(); k++) {
                assertArrayEquals(expected[k % 4], results.get(k).get(), "text " + (k % 4));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bundledIsLoadedOnce() {
        assertSame(Gpt2Tokenizer.bundled(), Gpt2Tokenizer.bundled());
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
