package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KlControllerTest {

    @Test
    void adaptiveBetaGrowsAboveTheTargetAndShrinksBelowIt() {
        KlController c = KlController.adaptive(0.1, 6, 10_000);
        c.update(9, 256); // KL/target - 1 = 0.5, clipped to 0.2
        assertEquals(0.1 * (1 + 0.2 * 256 / 10_000.0), c.beta(), 1e-15);
        KlController d = KlController.adaptive(0.1, 6, 10_000);
        d.update(5.4, 100); // e = -0.1
        assertEquals(0.1 * (1 - 0.1 * 100 / 10_000.0), d.beta(), 1e-15);
        KlController e = KlController.adaptive(0.1, 6, 10_000);
        e.update(6, 100);
        assertEquals(0.1, e.beta(), 0);
    }

    /** With KL falling as beta rises (a policy held back harder), beta settles where KL meets the target. */
    @Test
    void adaptiveControllerSteersTheKlToTheTarget() {
        KlController c = KlController.adaptive(0.01, 6, 1000);
        double kl = 0;
        for (int i = 0; i < 5000; i++) {
            kl = 0.3 / c.beta(); // a toy response: KL inversely proportional to beta; target met at beta 0.05
            c.update(kl, 64);
        }
        assertEquals(6, kl, 0.05);
        assertEquals(0.05, c.beta(), 1e-3);
    }

    @Test
    void fixedControllerNeverMoves() {
        KlController c = KlController.fixed(0.05);
        c.update(100, 1000);
        c.update(0, 1000);
        assertEquals(0.05, c.beta(), 0);
    }

    @Test
    void nonFiniteKlLeavesBetaAndBadArgumentsAreNamed() {
        KlController c = KlController.adaptive(0.2, 6, 100);
        c.update(Double.NaN, 10);
        assertEquals(0.2, c.beta(), 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KlController.adaptive(0.2, 0, 100))
                .getMessage().contains("target"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KlController.fixed(-1))
                .getMessage().contains("beta"));
    }
}
