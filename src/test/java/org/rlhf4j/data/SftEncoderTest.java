package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.SftEncoder.OverlongPolicy;
import org.rlhf4j.data.SftEncoder.Sequence;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;

class SftEncoderTest {

    private static final int X = SftEncoder.IGNORE_INDEX;
    /** ids: a=0 b=1 c=2 d=3 e=4 f=5 g=6 h=7; no end-of-text id. */
    private static final CharTokenizer CHARS = CharTokenizer.fromCorpus("abcdefgh");

    @Test
    void lossIsMaskedToTheCompletion() {
        Sequence s = encode(CHARS, 8, OverlongPolicy.DROP, "abc", "de");
        // s = a b c d e; inputs a b c d, then padding (id 0); targets: only where the next token is d or e
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 0, 0, 0}, s.inputs());
        assertArrayEquals(new int[] {X, X, 3, 4, X, X, X, X}, s.targets());
        assertEquals(3, s.promptTokens());
        assertEquals(2, s.completionTokens());
        assertFalse(s.truncated());
    }

    @Test
    void gpt2EndsTheCompletionWithEndOfTextAndPadsWithIt() {
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();
        int eot = 50256;
        int[] p = gpt2.encode("Q: Hello?\nA:");
        int[] c = gpt2.encode(" Hello world");
        Sequence s = encode(gpt2, 16, OverlongPolicy.DROP, "Q: Hello?\nA:", " Hello world");
        int P = p.length;
        int L = P + c.length + 1;
        for (int t = 0; t < 16; t++) {
            int expectedInput = t < P ? p[t] : t < P + c.length ? c[t - P] : eot;
            assertEquals(expectedInput, s.inputs()[t], "input " + t);
            int next = t + 1 < P ? X : t + 1 < P + c.length ? c[t + 1 - P] : t + 1 == L - 1 ? eot : X;
            assertEquals(next, s.targets()[t], "target " + t);
        }
        assertEquals(c.length + 1, countTargets(s), "every completion token and the end-of-text are trained on");
        // an empty prompt starts with end-of-text, so the first completion token is a target too
        Sequence empty = encode(gpt2, 8, OverlongPolicy.DROP, "", " Hello");
        assertArrayEquals(new int[] {eot, 18435, eot, eot, eot, eot, eot, eot}, empty.inputs());
        assertArrayEquals(new int[] {18435, eot, X, X, X, X, X, X}, empty.targets());
    }

    @Test
    void specialTokenTextInDataIsOrdinaryText() {
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();
        Sequence s = encode(gpt2, 32, OverlongPolicy.DROP, "<|endoftext|>", "ok");
        assertTrue(s.promptTokens() > 1, "the prompt's <|endoftext|> text is not the special id");
        assertFalse(s.inputs()[0] == 50256);
    }

    @Test
    void overLongExamplesAreDroppedOrTruncatedNeverEmptied() {
        SftEncoder drop = new SftEncoder(CHARS, 4, OverlongPolicy.DROP);
        SftEncoder cut = new SftEncoder(CHARS, 4, OverlongPolicy.TRUNCATE);
        // exactly T + 1 = 5 tokens fits
        assertTrue(drop.encode(new SftExample("abc", "de")).isPresent());
        // 6 tokens: dropped, or the prompt loses its start
        assertTrue(drop.encode(new SftExample("abcd", "ef")).isEmpty());
        Sequence s = cut.encode(new SftExample("abcd", "ef")).orElseThrow();
        assertArrayEquals(new int[] {1, 2, 3, 4}, s.inputs());      // b c d e
        assertArrayEquals(new int[] {X, X, 4, 5}, s.targets());     // -> e f
        assertTrue(s.truncated());
        // a completion longer than the block: one prompt token and the first T completion tokens
        Sequence longC = cut.encode(new SftExample("ab", "cdefgh")).orElseThrow();
        assertArrayEquals(new int[] {1, 2, 3, 4}, longC.inputs());   // b c d e
        assertArrayEquals(new int[] {2, 3, 4, 5}, longC.targets());  // c d e f: all T positions train
        assertEquals(1, longC.promptTokens());
        assertEquals(4, longC.completionTokens());

        SftEncoder.Encoded all = drop.encodeAll(List.of(new SftExample("a", "b"), new SftExample("abcdefg", "h"),
                new SftExample("abc", "d")));
        assertEquals(2, all.sequences().size());
        assertEquals(1, all.dropped());
        assertEquals(0, all.truncated());
        assertEquals(1, cut.encodeAll(List.of(new SftExample("abcdefg", "h"))).truncated());
    }

    @Test
    void anExampleWithNothingToTrainOnIsNamed() {
        SftEncoder enc = new SftEncoder(CHARS, 4, OverlongPolicy.DROP);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> enc.encode(new SftExample("", "a", "sft.jsonl", 9)));
        assertEquals("sft.jsonl:9: field \"completion\": gives no token to train on (an empty prompt and a one-token"
                + " completion, and the tokenizer has no end-of-text id)", e.getMessage());
        // two completion tokens with no prompt: the second is a target
        assertArrayEquals(new int[] {1, X, X, X}, enc.encode(new SftExample("", "ab")).orElseThrow().targets());
        assertThrows(IllegalArgumentException.class, () -> new SftExample("a", ""));
        assertThrows(IllegalArgumentException.class, () -> new SftEncoder(CHARS, 0, OverlongPolicy.DROP));
    }

    private static Sequence encode(org.rlhf4j.data.tokenizer.Tokenizer t, int T, OverlongPolicy p, String prompt,
            String completion) {
        return new SftEncoder(t, T, p).encode(new SftExample(prompt, completion)).orElseThrow();
    }

    private static int countTargets(Sequence s) {
        int n = 0;
        for (int t : s.targets()) {
            n += t == X ? 0 : 1;
        }
        return n;
    }
}
