package org.rlhf4j.feedback.label;

import org.rlhf4j.Rlhf4jException;

/**
 * An answer to an item that is not the current one: it was answered or skipped already (a second tab, a
 * repeated request). The web page answers it with 409 and loads the current item.
 */
public final class StaleItemException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    public StaleItemException(long given, long current) {
        super("item " + given + " is not the current item" + (current < 0 ? " (none is)" : " (" + current + " is)")
                + "; it was answered or skipped already");
    }
}
