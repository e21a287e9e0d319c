package org.rlhf4j.nn;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * Runs a test class on kernels with a {@link Parallel} of its own (same family and thread count as
 * the default), closed after the class, so that the class leaves no kernel worker threads running
 * for the tests after it (ParallelTest checks that closing a pool leaves no {@code rlhf4j-kernels-}
 * thread alive). Use with {@code @ExtendWith(OwnKernels.class)}.
 */
public final class OwnKernels implements BeforeAllCallback, AfterAllCallback {

    private Kernels previous;
    private Parallel parallel;

    @Override
    public void beforeAll(ExtensionContext context) {
        Kernels global = Backends.current(); // created lazily; its workers start only when used
        parallel = Parallel.ofThreads(Backends.defaultThreads());
        previous = Backends.use(Backends.create(global.name(), parallel));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Backends.use(previous);
        parallel.close();
    }
}
