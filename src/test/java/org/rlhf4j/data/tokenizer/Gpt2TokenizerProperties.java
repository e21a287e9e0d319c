package org.rlhf4j.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated strings: decode(encode(s)) == s, encode agrees with jtokkit's r50k_base, the hand-written
 * pre-tokeniser cuts as GPT-2's regex does, and the two merge loops agree. The strings are well-formed
 * UTF-16 (surrogate pairs included, lone surrogates never) built from a mix of code points: ASCII,
 * the whitespace characters, any BMP character, any supplementary character, and fragments of
 * {@link MixedText} (emoji sequences, scripts, contractions).
 */
class Gpt2TokenizerProperties {

    private final Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("text") String s) {
        assertEquals(s, gpt2.decode(gpt2.encode(s)));
    }

    @Property(tries = 1000)
    void agreesWithJtokkit(@ForAll("text") String s) {
        assertArrayEquals(Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(s).toArray(), gpt2.encode(s),
                () -> "text: " + Gpt2TokenizerReferenceTest.escape(s));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void specialTokensSplitTheText(@ForAll("text") String a, @ForAll("text") String b) {
        // The generated text may spell the special token itself; this property is about exactly one.
        String joined = a + "<|endoftext|>" + b;
        Assume.that(joined.indexOf("<|endoftext|>") == joined.lastIndexOf("<|endoftext|>"));
        int[] expected = concat(Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(a).toArray(), new int[] {50256},
                Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(b).toArray());
        assertArrayEquals(expected, gpt2.encode(a + "<|endoftext|>" + b, true));
    }

    @Property(tries = 1000)
    void preTokenizerMatchesTheRegex(@ForAll("anyChars") String s) {
        assertEquals(Gpt2TokenizerTest.regexPieces(s), Gpt2TokenizerTest.pieces(s));
    }

    @Property(tries = 1000)
    void preTokenizerMatchesTheRegexOnMixedText(@ForAll("text") String s) {
        assertEquals(Gpt2TokenizerTest.regexPieces(s), Gpt2TokenizerTest.pieces(s));
    }

    @Property(tries = 300)
    void shortAndLongMergeLoopsAgree(@ForAll("text") String s) {
        // Both loops are called directly, whatever the length, on the bytes of one whole string.
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = byteToken(bytes[i]);
        }
        assertArrayEquals(gpt2.merger().mergeShort(tokens), gpt2.merger().mergeLong(tokens));
    }

    private int byteToken(byte b) {
        return gpt2.mergeBytes(new byte[] {b})[0];
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> codePoint = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
                Tuple.of(3, Arbitraries.of(MixedText.SPACES)),
                Tuple.of(2, Arbitraries.of("'", "s", "t", "re", "ve", "m", "ll", "d", "S", "LL")),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xFFFF)
                        .filter(c -> !Character.isSurrogate((char) (int) c)).map(Character::toString)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
                Tuple.of(2, Arbitraries.of(MixedText.FRAGMENTS)));
        return codePoint.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> anyChars() {
        // Any UTF-16 units, lone surrogates included: the pre-tokeniser must still cut as the regex does.
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }
}
