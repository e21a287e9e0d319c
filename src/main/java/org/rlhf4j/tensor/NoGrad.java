package org.rlhf4j.tensor;

/**
 * A scope in which ops record nothing on the tape (inference, optimizer updates, evaluation):
 * {@code try (NoGrad ignored = Autograd.noGrad()) { ... }}. Scopes nest; the setting is per thread.
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final int[] depth; // the opening thread's counter, so close() undoes exactly this scope
    private boolean closed;

    NoGrad() {
        depth = DEPTH.get();
        depth[0]++;
    }

    /** True when the calling thread is inside no no-grad scope. */
    static boolean gradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    /** Ends this scope on the thread that opened it (once; a second close does nothing). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            depth[0]--;
        }
    }
}
