package org.rlhf4j.kernels;

import org.rlhf4j.Rlhf4jException;

/** A kernel family was asked for by name but cannot run in this JVM; the message says how to mend it. */
public class BackendUnavailableException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
