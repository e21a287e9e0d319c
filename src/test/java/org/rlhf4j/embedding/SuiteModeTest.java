package org.rlhf4j.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.testing.RlhfArbitraries;

/**
 * The suite runs in the mode pom.xml's {@code rlhf4j.modulePath} property asks for (surefire passes it on as
 * a system property): on the class path (false, the default), where the tests, the library and the property
 * kit are all in the unnamed module; or on the module path (true, .ci/run's second run), where surefire patches
 * the tests into the named module {@code org.rlhf4j}, so every test sees only what the module sees.
 */
class SuiteModeTest {

    @Test
    void theTestsRunInTheModeThePropertyAsksFor() {
        String mode = System.getProperty("rlhf4j.modulePath");
        assertTrue("true".equals(mode) || "false".equals(mode), "surefire sets rlhf4j.modulePath: " + mode);
        Module tests = getClass().getModule(), library = Kernels.class.getModule(), kit = RlhfArbitraries.class.getModule();
        assertEquals(tests, library, "the tests are in the library's module (patched into it, or both unnamed)");
        assertEquals(tests, kit, "the property kit is a test package like any other");
        if (Boolean.parseBoolean(mode)) {
            assertTrue(tests.isNamed(), "module mode: " + tests);
            assertEquals("org.rlhf4j", tests.getName());
            assertTrue(ModuleLayer.boot().findModule("org.rlhf4j").isPresent(), "org.rlhf4j is in the boot layer");
            assertTrue(tests.getDescriptor().exports().stream().anyMatch(e -> e.source().equals("org.rlhf4j.tensor")));
        } else {
            assertFalse(tests.isNamed(), "class-path mode: " + tests);
            assertTrue(ModuleLayer.boot().findModule("org.rlhf4j").isEmpty(), "no module org.rlhf4j on the class path");
        }
    }
}
