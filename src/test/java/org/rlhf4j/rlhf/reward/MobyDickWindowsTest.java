package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.tensor.Generator;

/** The candidate pools of {@link PanelRewardModelTest} are what its documentation says they are. */
class MobyDickWindowsTest {

    private static final VaderLexicon LEXICON = VaderLexicon.bundled();

    @Test
    void heldOutWindowsAreNeverTrainingWindowsAndUseOnlyTheVocabulary() {
        MobyDickWindows.Pools pools = MobyDickWindows.pools(LEXICON, 8, 200, 0.9);
        assertEquals(200, pools.vocabulary().size());
        assertEquals(4_825, pools.train().size()); // the counts docs/reward-model.md gives
        assertEquals(525, pools.heldOut().size());
        Set<String> train = new HashSet<>(pools.train());
        Set<String> vocabulary = new HashSet<>(pools.vocabulary());
        for (String text : pools.heldOut()) {
            assertFalse(train.contains(text), text);
        }
        for (List<String> pool : List.of(pools.train(), pools.heldOut())) {
            for (String text : pool) {
                assertEquals(8, text.split(" ").length, text);
                assertEquals(text.toLowerCase(Locale.ROOT), text);
                List<String> rated = LEXICON.ratedTokens(text);
                assertFalse(rated.isEmpty(), text);
                assertTrue(vocabulary.containsAll(rated), text);
            }
        }
    }

    @Test
    void theVocabularyIsTheMostFrequentRatedTokensOfTheTrainingPart() {
        List<String> small = MobyDickWindows.pools(LEXICON, 8, 20, 0.9).vocabulary();
        List<String> large = MobyDickWindows.pools(LEXICON, 8, 200, 0.9).vocabulary();
        assertEquals(large.subList(0, 20), small); // most frequent first, ties by token: a prefix
    }

    @Test
    void itemsHoldDistinctWindowsAndRepeatForASeed() {
        List<String> pool = List.of("a b", "c d", "e f", "g h", "i j");
        List<Candidates> once = MobyDickWindows.items(pool, 50, 4, new Generator(7));
        assertEquals(once, MobyDickWindows.items(pool, 50, 4, new Generator(7)));
        for (Candidates c : once) {
            assertEquals(4, new HashSet<>(c.completions()).size());
            assertEquals("", c.prompt());
        }
    }
}
