package org.rlhf4j.kernels;

/** A kernel family was asked for by name but cannot run in this JVM; the message says how to mend it. */
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
