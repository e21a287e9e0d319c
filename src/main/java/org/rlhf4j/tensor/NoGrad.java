package org.rlhf4j.tensor;

/**
 * A scope in which ops record nothing on the tape (inference, optimizer updates, evaluation):
 * {@code try (NoGrad ignored = Autograd.noGrad()) { ... }}. Scopes nest; the setting is per thread.
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    NoGrad() {
        DEPTH.get()[0]++;
    }

    /** True when the calling thread is inside no no-grad scope. */
    static boolean gradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    /** Ends this scope (once; a second close does nothing). Close on the thread that opened it. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
