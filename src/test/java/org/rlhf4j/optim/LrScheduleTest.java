package org.rlhf4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** nanoGPT's warmup + cosine schedule at its landmarks. */
class LrScheduleTest {

    private final LrSchedule s = LrSchedule.nanoGptShakespeare(); // 1e-3 peak, 100 warmup, 1e-4 at 2000

    @Test
    void warmupIsLinearFromTheFirstStep() {
        assertEquals(1e-3 * 1 / 101, s.at(0), 1e-18);
        assertEquals(1e-3 * 50 / 101, s.at(49), 1e-18);
        assertEquals(1e-3 * 100 / 101, s.at(99), 1e-18);
    }

    @Test
    void peakThenCosineToTheFloor() {
        assertEquals(1e-3, s.at(100), 1e-18, "peak at the end of warmup");
        assertEquals(1e-4 + 0.5 * (1e-3 - 1e-4), s.at(1050), 1e-15, "halfway: the midpoint");
        double quarter = 1e-4 + 0.5 * (1 + Math.cos(Math.PI * 0.25)) * 9e-4;
        assertEquals(quarter, s.at(100 + 475), 1e-15);
        assertEquals(1e-4, s.at(2000), 1e-15, "the floor at decayIters");
        assertEquals(1e-4, s.at(5000), 0.0, "and after");
        for (int it = 101; it < 2000; it++) {
            assertTrue(s.at(it) < s.at(it - 1), "decreasing at " + it);
        }
    }

    @Test
    void constantAndDegenerateSchedules() {
        assertEquals(3e-4, LrSchedule.constant(3e-4).at(0), 0.0);
        assertEquals(3e-4, LrSchedule.constant(3e-4).at(10_000), 0.0);
        LrSchedule noDecay = new LrSchedule(1.0, 0.1, 2, 2);
        assertEquals(1.0 / 3, noDecay.at(0), 1e-15);
        assertEquals(0.1, noDecay.at(2), 0.0);
    }

    @Test
    void validationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0, 0, 0, 0))
                .getMessage().startsWith("maxLr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1, 2, 0, 0))
                .getMessage().startsWith("minLr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1, 0, -1, 0))
                .getMessage().startsWith("warmupIters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1, 0, 10, 5))
                .getMessage().startsWith("decayIters"));
        assertThrows(IllegalArgumentException.class, () -> s.at(-1));
    }
}
