package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextStatsTest {

    @Test
    void distinctNCountsUniqueNgramsOverAllSamples() {
        List<String> texts = List.of("the sea the sea", "the whale");
        // unigrams: the, sea, the, sea, the, whale -> 3 distinct of 6
        assertEquals(3.0 / 6, TextStats.distinctN(texts, 1), 1e-12);
        // bigrams: (the sea) (sea the) (the sea) | (the whale) -> 3 distinct of 4
        assertEquals(3.0 / 4, TextStats.distinctN(texts, 2), 1e-12);
    }

    @Test
    void aCollapsedModelScoresLowAndEmptyInputIsNaN() {
        assertEquals(1.0 / 8, TextStats.distinctN(List.of("good good good good", "good good good good"), 1), 1e-12);
        assertTrue(Double.isNaN(TextStats.distinctN(List.of("", "  "), 1)));
        assertTrue(Double.isNaN(TextStats.distinctN(List.of("one"), 2)));
    }

    @Test
    void meanAndSampleStd() {
        assertEquals(2.5, TextStats.mean(new double[] {1, 2, 3, 4}), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), TextStats.std(new double[] {1, 2, 3, 4}), 1e-12);
        assertTrue(Double.isNaN(TextStats.std(new double[] {1})));
    }
}
