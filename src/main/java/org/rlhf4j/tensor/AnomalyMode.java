package org.rlhf4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Anomaly detection, PyTorch's {@code torch.autograd.detect_anomaly} for rlhf4j: while it is on, the
 * first NaN or infinity that an op writes, in its forward output or (during backward) into an input's
 * gradient, throws an {@link AnomalyException} naming the {@link Op}, the phase and the shape, instead of
 * spreading silently into the loss and the weights. The one exemption: the constant that
 * {@code maskedFill} is asked to write (the causal mask's -inf) is the caller's, not produced by an op.
 *
 * <p>Off by default. Turn it on for the whole run with {@code -Drlhf4j.anomaly=true}, or for a region
 * with {@code try (AnomalyMode ignored = Autograd.detectAnomaly()) { ... }}. Like PyTorch's
 * {@code set_detect_anomaly}, the switch is process-wide, not per thread: a scope opened on one thread
 * also checks ops run on another while it is open. Scopes nest (a count of open scopes).
 *
 * <p>Cost: off, each op reads one static final and one volatile field; on, each op scans its output
 * once and each backward step the gradients it wrote (docs/reliability.md has the measurement).
 */
public final class AnomalyMode implements AutoCloseable {

    /** System property: {@code true} turns anomaly detection on for the whole JVM. */
    public static final String PROPERTY = "rlhf4j.anomaly";

    private static final boolean FROM_PROPERTY = Boolean.parseBoolean(System.getProperty(PROPERTY, "false").trim());
    private static final AtomicInteger OPEN = new AtomicInteger();

    private boolean closed;

    AnomalyMode() {
        OPEN.incrementAndGet();
    }

    /** True when {@code -Drlhf4j.anomaly=true} or some scope is open. */
    public static boolean isEnabled() {
        return FROM_PROPERTY || OPEN.get() > 0;
    }

    /** Ends this scope (once; a second close does nothing). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            OPEN.decrementAndGet();
        }
    }

    /** After {@code op}'s forward wrote {@code out}: throws on its first non-finite element. */
    static void checkForward(Op op, Tensor out, Tensor[] inputs) {
        // maskedFill writes the caller's constant, -inf for a causal mask: only what came from x counts
        Tensor checked = op == Op.MASKED_FILL ? inputs[0] : out;
        int at = firstNonFinite(checked.data, checked.offset, checked.size());
        if (at < 0) {
            return;
        }
        StringBuilder cause = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (firstNonFinite(in.data, in.offset, in.size()) >= 0) {
                cause.append(cause.length() == 0 ? "; already non-finite in its input " : ", ").append(i)
                        .append(' ').append(in.shape);
            }
        }
        throw new AnomalyException(op, AnomalyException.Phase.FORWARD, -1, out.shape, at, checked.data[checked.offset + at],
                cause.toString());
    }

    /** After {@code op}'s backward ran: throws on the first non-finite element of an input's gradient. */
    static void checkBackward(Op op, Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in.requiresGrad && in.grad != null) {
                int at = firstNonFinite(in.grad, 0, in.size());
                if (at >= 0) {
                    throw new AnomalyException(op, AnomalyException.Phase.BACKWARD, i, in.shape, at, in.grad[at], "");
                }
            }
        }
    }

    /** The gradient handed to backward(): a non-finite seed is the caller's, named as such. */
    static void checkSeed(Tensor root) {
        int at = firstNonFinite(root.grad, 0, root.size());
        if (at >= 0) {
            throw new AnomalyException(null, AnomalyException.Phase.BACKWARD, -1, root.shape, at, root.grad[at],
                    "; it is in the output gradient given to backward()");
        }
    }

    private static int firstNonFinite(float[] a, int from, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[from + i])) {
                return i;
            }
        }
        return -1;
    }
}
