package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;

class TokenStreamTest {

    @Test
    void splitsNinetyTenAsNanoGpt() {
        TokenStream s = TokenStream.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        TokenStream.Split split = s.split();
        // int(12 * 0.9) = int(10.8) = 10
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, split.train().toArray());
        assertArrayEquals(new int[] {10, 11}, split.validation().toArray());
        assertEquals(3, s.split(0.25).train().size());
    }

    @Test
    void charSplitOfMobyDickMatchesATextSplit() {
        String text = Corpus.mobyDick();
        CharTokenizer chars = CharTokenizer.fromCorpus(text);
        TokenStream.Split split = TokenStream.encode(chars, text).split();
        int n = text.codePointCount(0, text.length());
        int cut = text.offsetByCodePoints(0, (int) (n * 0.9));
        // nanoGPT shakespeare_char: train_data = data[:int(n*0.9)] on the text, then encoded
        assertArrayEquals(chars.encode(text.substring(0, cut)), split.train().toArray());
        assertArrayEquals(chars.encode(text.substring(cut)), split.validation().toArray());
    }

    @Test
    void documentsAreEachFollowedByEndOfText() {
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();
        TokenStream s = TokenStream.encodeDocuments(gpt2, List.of("Hello", "", "Hello world"));
        assertArrayEquals(new int[] {15496, 50256, 50256, 15496, 995, 50256}, s.toArray());
        CharTokenizer chars = CharTokenizer.fromCorpus("ab");
        assertArrayEquals(new int[] {0, 1, 1}, TokenStream.encodeDocuments(chars, List.of("a", "bb")).toArray(),
                "no end-of-text id: the documents are simply concatenated");
    }

    @Test
    void refusesEmptyParts() {
        TokenStream s = TokenStream.of(new int[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> s.split(0.0));
        assertThrows(IllegalArgumentException.class, () -> s.split(1.0));
        assertThrows(IllegalArgumentException.class, () -> s.split(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.split(0.2));
        assertEquals("a stream of 3 tokens split at 0.2 leaves an empty training part", e.getMessage());
    }

    @Test
    void isACopy() {
        int[] ids = {1, 2, 3};
        TokenStream s = TokenStream.of(ids);
        ids[0] = 9;
        s.toArray()[1] = 9;
        assertArrayEquals(new int[] {1, 2, 3}, s.toArray());
    }
}
