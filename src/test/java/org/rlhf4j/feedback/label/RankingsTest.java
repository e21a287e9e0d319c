package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingsTest {

    @Test
    void spacedCommaAndRunTogetherFormsReadTheSame() {
        for (String typed : List.of("2 0 1", "201", "2,0,1", " 2, 0 1 ", "2 0", "20")) {
            assertEquals(List.of(2, 0, 1), Rankings.parse(typed, 3), typed);
        }
    }

    @Test
    void moreThanTenCompletionsNeedSeparators() {
        List<Integer> twelve = List.of(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertEquals(twelve, Rankings.parse("11 10 9 8 7 6 5 4 3 2 1 0", 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rankings.parse("1110", 12));
        assertTrue(e.getMessage().contains("1110 is not a completion number"), e.getMessage());
    }

    @Test
    void eachBadAnswerSaysWhatIsWrong() {
        assertMessage("", 3, "nothing typed");
        assertMessage("3 0 1", 3, "3 is not a completion number; they are 0..2");
        assertMessage("1 1 0", 3, "1 appears twice");
        assertMessage("1", 3, "a ranking orders all 3 completions, best first; got 1 (the last may be left out)");
        assertMessage("x y", 3, "'x' is not a completion number");
        assertMessage("-1 0", 3, "'-1' is not a completion number");
        assertMessage("99999999999", 3, "is not a completion number");
    }

    @Test
    void problemAcceptsExactlyThePermutations() {
        assertNull(Rankings.problem(List.of(1, 2, 0), 3));
        assertEquals("no ranking given", Rankings.problem(null, 3));
        assertEquals("null is not a completion number; they are 0..1", Rankings.problem(Arrays.asList(0, null), 2));
        assertTrue(Rankings.problem(List.of(0, 1), 3).startsWith("a ranking orders all 3"));
        assertTrue(Rankings.problem(List.of(0, 1, 2, 0), 3).startsWith("0 appears twice"));
    }

    private static void assertMessage(String typed, int k, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rankings.parse(typed, k));
        assertTrue(e.getMessage().contains(fragment), "'" + typed + "': " + e.getMessage());
    }
}
