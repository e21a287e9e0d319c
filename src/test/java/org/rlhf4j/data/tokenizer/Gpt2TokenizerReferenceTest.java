package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Token-for-token agreement with the reference: jtokkit's {@code r50k_base}, a Java port of OpenAI's
 * tiktoken whose r50k_base is GPT-2's encoding. The text: all of the bundled Moby-Dick, tinyshakespeare
 * when ../shared/data has it, and generated text mixing scripts, emoji, whitespace runs, numbers,
 * punctuation and contractions ({@link MixedText}), each compared whole and in pieces cut at random.
 * jtokkit's encodeOrdinary treats {@code <|endoftext|>} as text, as our {@code encode(String)} does; the
 * special token itself is checked in {@link Gpt2TokenizerTest}.
 */
class Gpt2TokenizerReferenceTest {

    static final Encoding R50K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    private static final Path SHAKESPEARE = Path.of("..", "shared", "data", "tinyshakespeare.txt");

    private final Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();
    private int texts;
    private long tokens;

    @Test
    void agreesWithJtokkitOnALargeVariedText() throws IOException {
        List<String> sources = new ArrayList<>();
        sources.add(mobyDick());
        if (Files.exists(SHAKESPEARE)) {
            sources.add(Files.readString(SHAKESPEARE));
        }
        for (long seed = 1; seed <= 4; seed++) {
            sources.add(MixedText.generate(seed, 100_000));
        }
        Random cuts = new Random(7);
        for (String text : sources) {
            compare(text);
            for (int i = 0; i < 200; i++) { // pieces starting and ending anywhere, whitespace cut included
                int a = safeCut(text, cuts.nextInt(text.length()));
                int b = safeCut(text, Math.min(text.length(), a + 1 + cuts.nextInt(2000)));
                compare(text.substring(a, b));
            }
        }
        System.out.printf("GPT-2 vs jtokkit r50k_base: %d texts, %d tokens compared, 0 mismatches%n", texts, tokens);
        assertTrue(tokens > 500_000, "a large text was compared: " + tokens + " tokens");
    }

    @Test
    void agreesOnEveryFragmentAloneAndAfterEverySpace() {
        for (String f : MixedText.FRAGMENTS) {
            compare(f);
            for (String s : MixedText.SPACES) {
                compare(s + f);
                compare(f + s);
                compare(s + f + s + f);
            }
        }
    }

    private void compare(String text) {
        int[] expected = R50K.encodeOrdinary(text).toArray();
        int[] actual = gpt2.encode(text);
        if (!java.util.Arrays.equals(expected, actual)) {
            int i = 0;
            while (i < Math.min(expected.length, actual.length) && expected[i] == actual[i]) {
                i++;
            }
            assertArrayEquals(expected, actual, "first difference at token " + i + " of a text of "
                    + text.length() + " chars; expected token " + show(expected, i) + ", got " + show(actual, i)
                    + "; text near there: " + escape(gpt2.decode(java.util.Arrays.copyOfRange(expected,
                            Math.max(0, i - 5), Math.min(expected.length, i + 5)))));
        }
        assertEquals(text, gpt2.decode(actual), "round trip");
        texts++;
        tokens += actual.length;
    }

    private String show(int[] ids, int i) {
        return i < ids.length ? ids[i] + " \"" + escape(gpt2.decode(new int[] {ids[i]})) + "\"" : "(end)";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 32 || cp > 126 ? String.format("\\u{%X}", cp) : Character.toString(cp)));
        return sb.toString();
    }

    /** A cut position that does not split a surrogate pair. */
    static int safeCut(String text, int at) {
        return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at)) ? at - 1 : at;
    }

    static String mobyDick() throws IOException {
        try (InputStream in = Gpt2TokenizerReferenceTest.class.getResourceAsStream("/org/rlhf4j/data/corpus/moby-dick.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
