package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.Corpus;

class DemoPromptsTest {

    @Test
    void promptsAreSentenceOpeningsThatFitWithATrailingSpace() {
        DemoPrompts p = DemoPrompts.from(Corpus.mobyDick(), 256, 64, 16, 1337);
        assertEquals(256, p.train().size());
        assertEquals(64, p.heldOut().size());
        for (String s : p.train()) {
            assertTrue(s.length() <= 16 && s.endsWith(" ") && !s.endsWith("  ") && Character.isUpperCase(s.charAt(0)), s);
            assertTrue(s.strip().contains(" "), "at least two words: " + s);
        }
        Set<String> train = new HashSet<>(p.train());
        assertEquals(256, train.size(), "no duplicates");
        p.heldOut().forEach(h -> assertTrue(!train.contains(h), "held-out prompt also in training: " + h));
    }

    @Test
    void theSameSeedGivesTheSamePrompts() {
        String text = Corpus.mobyDick();
        assertEquals(DemoPrompts.from(text, 20, 5, 16, 7), DemoPrompts.from(text, 20, 5, 16, 7));
    }

    @Test
    void openingTakesWholeWordsOnly() {
        assertEquals("Call me ", DemoPrompts.opening("Call me Ishmael. Some", 0, 12));
        assertEquals("Some years ago ", DemoPrompts.opening("Some years ago never", 0, 16));
        assertEquals("Call me ", DemoPrompts.opening("Call me Ishmael now", 0, 16), "a capital ends the opening");
        assertNull(DemoPrompts.opening("Whenever I find", 0, 16), "a capital after the first word ends the opening");
        assertNull(DemoPrompts.opening("—never mind", 0, 16));
    }

    @Test
    void askingForMoreThanTheBookHasSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoPrompts.from("One two. Three four. ", 5, 1, 16, 1));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    }
}
