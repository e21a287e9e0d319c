package org.rlhf4j.embedding;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips, or fails when its property says the machine must have it; a present one does neither. */
class PrerequisitesTest {

    @Test
    void missingSkipsUnlessRequiredThenFailsWithTheReason() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Prerequisites.require("rlhf4j.requireX", false, false, () -> "no X here"));
        assertTrue(skipped.getMessage().contains("no X here"), skipped.getMessage());
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Prerequisites.require("rlhf4j.requireX", true, false, () -> "no X here"));
        assertEquals("no X here (-Drlhf4j.requireX=true: this machine must have it)", failed.getMessage());
    }

    @Test
    void presentNeitherSkipsNorFails() {
        assertDoesNotThrow(() -> Prerequisites.require("rlhf4j.requireX", true, true, () -> "unused"));
        assertDoesNotThrow(() -> Prerequisites.require("rlhf4j.requireX", false, true, () -> "unused"));
    }

    @Test
    void theSystemPropertiesArriveFromMaven() {
        // pom.xml passes both to the test JVM, false unless -D... says otherwise; a typo in the name would leave it unset
        assertTrue(System.getProperty(Prerequisites.REQUIRE_OPENCL) != null, "rlhf4j.requireOpenCl is passed to the tests");
        assertTrue(System.getProperty(Prerequisites.REQUIRE_JDK25) != null, "rlhf4j.requireJdk25 is passed to the tests");
    }
}
