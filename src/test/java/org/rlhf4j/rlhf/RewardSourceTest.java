package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A plain Java function as a reward source (trl#2518). */
class RewardSourceTest {

    @Test
    void aFunctionScoresEachPairInOrder() {
        RewardSource len = RewardSource.fromFunction((p, r) -> r.length() - 0.5 * p.length());
        assertArrayEquals(new float[] {3f, 0f, 1.5f}, len.score(List.of("", "ab", "x"), List.of("abc", "a", "ab")));
        assertEquals(2f, len.score("", "hi"));
    }

    @Test
    void mismatchedListsAndNonFiniteRewardsAreErrors() {
        RewardSource nan = RewardSource.fromFunction((p, r) -> r.isEmpty() ? Double.NaN : 1);
        assertThrows(IllegalArgumentException.class, () -> nan.score(List.of("a", "b"), List.of("c")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nan.score(List.of("a", "b"), List.of("c", "")));
        assertEquals("the reward function returned NaN for item 1", e.getMessage());
    }
}
