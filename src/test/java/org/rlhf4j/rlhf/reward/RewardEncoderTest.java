package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.RatedPreference;

/** Prompt + response to ids, and the over-length policies: the response is never cut. */
class RewardEncoderTest {

    private static final CharTokenizer T = CharTokenizer.fromCorpus("abcdefghij");

    private static String text(int[] ids) {
        return T.decode(ids);
    }

    @Test
    void promptThenResponse() {
        RewardEncoder e = new RewardEncoder(T, 5, OverLength.DROP);
        assertEquals("abcd", text(e.encodeForTraining("ab", "cd")));
        assertEquals("cd", text(e.encodeForTraining("", "cd")));
        assertEquals("abcde", text(e.encodeForTraining("abc", "de"))); // exactly maxLength fits
    }

    @Test
    void dropDropsAndTruncatePromptLeftCutsOnlyThePrompt() {
        RewardEncoder drop = new RewardEncoder(T, 5, OverLength.DROP);
        RewardEncoder cut = new RewardEncoder(T, 5, OverLength.TRUNCATE_PROMPT_LEFT);
        assertNull(drop.encodeForTraining("abcd", "ef"));
        assertEquals("bcdef", text(cut.encodeForTraining("abcd", "ef")));
        assertEquals("abcde", text(cut.encodeForTraining("jjj", "abcde"))); // the whole prompt goes
        assertNull(cut.encodeForTraining("a", "abcdef"));                 // the response alone is too long
        assertNull(cut.encodeForTraining("", "abcdef"));
    }

    @Test
    void scoringKeepsTheLastTokensAndReadsAnEmptyResponseAtThePrompt() {
        RewardEncoder e = new RewardEncoder(T, 5, OverLength.DROP);
        assertEquals("cdefg", text(e.encodeForScoring("abc", "defg")));
        assertEquals("fghij", text(e.encodeForScoring("abc", "abcdefghij")));
        assertEquals("abc", text(e.encodeForScoring("abc", "")), "an empty response is read at the prompt's last token");
        assertEquals("cdefg", text(e.encodeForScoring("abcdefg", "")));
        assertThrows(IllegalArgumentException.class, () -> e.encodeForScoring("", ""));
        assertThrows(IllegalArgumentException.class, () -> e.encodeForTraining("abc", ""));
    }

    @Test
    void preferencesKeepTheirRankingAndAreDroppedWhole() {
        RewardEncoder cut = new RewardEncoder(T, 5, OverLength.TRUNCATE_PROMPT_LEFT);
        RewardEncoder.Encoded p = cut.encode(new PairwisePreference("abc", "de", "f"));
        assertArrayEquals(new int[] {0, 1}, p.ranking());
        assertEquals("abcde", text(p.sequences()[0]));
        assertEquals("abcf", text(p.sequences()[1]));
        assertEquals(false, p.truncated());
        RewardEncoder.Encoded r = cut.encode(new RankedPreference("abcd", List.of("a", "bb", "c"), List.of(2, 0, 1)));
        assertArrayEquals(new int[] {2, 0, 1}, r.ranking());
        assertTrue(r.truncated());
        assertEquals("bcdbb", text(r.sequences()[1]));
        assertNull(cut.encode(new RankedPreference("", List.of("a", "abcdefg"), List.of(0, 1))));
        RewardEncoder.Encoding all = cut.encodeAll(List.of(new PairwisePreference("", "a", "b"),
                new PairwisePreference("", "abcdefgh", "b"), new PairwisePreference("jjjj", "ab", "c")));
        assertEquals(2, all.kept().size());
        assertEquals(1, all.dropped());
        assertEquals(1, all.truncated());
        assertThrows(IllegalArgumentException.class, () -> cut.encode(new RatedPreference("", "a", 3)));
    }
}
