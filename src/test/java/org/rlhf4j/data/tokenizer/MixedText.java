package org.rlhf4j.data.tokenizer;

import java.util.List;
import java.util.Random;

/**
 * Generated test text that exercises every branch of GPT-2's pre-tokenisation and of UTF-8: scripts
 * (Latin with accents and combining marks, CJK, Hangul, Arabic and Hebrew), emoji (skin tones, ZWJ
 * sequences, flags, keycaps), every kind of whitespace run, numbers in several scripts, punctuation,
 * contractions in upper and lower case, control characters, code, and very long pieces. Deterministic
 * for a given seed.
 */
final class MixedText {

    static final List<String> FRAGMENTS = List.of(
            // English with contractions, in every case
            "I'm", "you're", "YOU'RE", "they'll", "THEY'LL", "It'S", "it's", "we've", "WE'VE", "he'd", "HE'D",
            "don't", "DON'T", "can't", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'Ll", "''s", "'x",
            "rock'n'roll", "o'clock", "the", "The", "THE", "whale", "Ishmael", "supercalifragilistic",
            // accents and combining marks
            "café", "naïve", "Ångström", "Zoë", "e\u0301", "Crème brûlée", "Ærøskøbing", "straße", "İstanbul",
            "Łódź", "ǅemal", "ﬁnance",
            // CJK, Hangul, kana
            "東京は日本の首都です。", "我爱自然语言处理", "안녕하세요 세계", "カタカナとひらがな", "漢字", "𠀋𡈽𡌛",
            // right to left
            "مرحبا بالعالم", "שלום עולם", "١٢٣٤", "۱۲۳", "עִבְרִית",
            // emoji
            "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵🇫🇷", "1️⃣", "❤️", "🧑🏿‍🚀", "👩‍💻", "🫠",
            // numbers
            "3.14159", "1,000,000", "2024-01-01", "0x1F", "½", "Ⅻ", "x²", "१२३", "42", "007", "1e-9",
            // punctuation and symbols
            "...", "?!", "—", "–", "“quoted”", "«guillemets»", "()[]{}", "@#$%^&*", "'''", "\"", "\\", "~~~",
            "→", "∑", "€", "©", "<|", "|>", "<|endoftext", "endoftext|>",
            // code
            "x += 1;", "if (a<b) {return;}", "https://example.com/a?b=c&d=e", "foo_bar.baz()", "#include <stdio.h>",
            // controls and odd characters
            "\u0000", "\u0007", "\u001b[0m", "\u00ad", "\u200b", "\u200d", "\ufeff", "\ufffd");

    static final List<String> SPACES = List.of(
            " ", " ", " ", " ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", "\r\n", " \n", "  \n ",
            "\u00a0", "\u3000", "\u2028", "\u2029", "\u0085", "\u000b", "\u000c", "\u001c", "\u001f", "\u2003 ",
            " \t ", "", "");

    private MixedText() {
    }

    /** About {@code chars} characters of mixed text. */
    static String generate(long seed, int chars) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder(chars + 64);
        while (sb.length() < chars) {
            int kind = rnd.nextInt(100);
            if (kind < 2) {
                sb.append(" ".repeat(1 + rnd.nextInt(300))); // long whitespace run
            } else if (kind < 3) {
                sb.append("a".repeat(100 + rnd.nextInt(400))); // long letter piece (heap-based merge)
            } else if (kind < 4) {
                sb.append("9".repeat(1 + rnd.nextInt(200)));
            } else if (kind < 5) {
                sb.append("😀👍🏽".repeat(1 + rnd.nextInt(50)));
            } else if (kind < 6) {
                sb.append("<|endoftext|>");
            } else if (kind < 8) {
                sb.append(" ".repeat(1 + rnd.nextInt(4))).append('\n'); // trailing spaces
            } else {
                sb.append(FRAGMENTS.get(rnd.nextInt(FRAGMENTS.size())));
            }
            sb.append(SPACES.get(rnd.nextInt(SPACES.size())));
        }
        return sb.toString();
    }
}
