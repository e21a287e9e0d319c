package org.rlhf4j.tensor;

import org.rlhf4j.Rlhf4jException;

/**
 * A tensor allocation refused before any memory was taken: its element count overflows (the product of
 * its dimensions is past what Java can index, 2^31 - 1) or is over the cap of {@link TensorLimits}.
 * Thrown instead of the OutOfMemoryError that the allocation would otherwise risk.
 */
public class TensorAllocationException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    private final long requested;
    private final long limit;

    /**
     * @param what      what was being allocated (an op, a shape), for the message
     * @param requested the element count asked for (Long.MAX_VALUE when even that overflowed)
     * @param limit     the cap it is over
     * @param advice    how to mend it
     */
    public TensorAllocationException(String what, long requested, long limit, String advice) {
        super(what + ": " + (requested == Long.MAX_VALUE ? "more than 2^63 - 1" : Long.toString(requested))
                + " floats requested, over the limit of " + limit + "; " + advice);
        this.requested = requested;
        this.limit = limit;
    }

    /** The element count asked for (Long.MAX_VALUE when it overflowed a long). */
    public long requested() {
        return requested;
    }

    /** The cap it was over. */
    public long limit() {
        return limit;
    }
}
