package org.rlhf4j.embedding;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test's prerequisite that the machine may lack (an OpenCL device, a Temurin 25): missing, the test is
 * skipped with the reason, unless a system property says this machine must have it; then the test fails with
 * that reason. A plain {@code mvn test} sets none (pom.xml defaults them to false), so it passes on a machine
 * without PoCL or Temurin 25; .ci/run sets them ({@code -Drlhf4j.requireOpenCl=true},
 * {@code -Drlhf4j.requireJdk25=true}), so a broken install there is a red build, not a quiet skip.
 */
public final class Prerequisites {

    /** Makes a missing OpenCL device a failure (kernels.OpenClSupport). */
    public static final String REQUIRE_OPENCL = "rlhf4j.requireOpenCl";
    /** Makes a missing Temurin 25 a failure (JvmMatrixTest row 3). */
    public static final String REQUIRE_JDK25 = "rlhf4j.requireJdk25";

    private Prerequisites() {
    }

    /** Returns when {@code met}; else fails if the system property {@code property} is true, or skips. */
    public static void require(String property, boolean met, Supplier<String> why) {
        require(property, Boolean.getBoolean(property), met, why);
    }

    /** As {@link #require(String, boolean, Supplier)}, with the property's value given. */
    static void require(String property, boolean required, boolean met, Supplier<String> why) {
        if (met) {
            return;
        }
        if (required) {
            Assertions.fail(why.get() + " (-D" + property + "=true: this machine must have it)");
        }
        Assumptions.assumeTrue(false, () -> why.get() + " (skipped; -D" + property + "=true makes this a failure)");
    }
}
