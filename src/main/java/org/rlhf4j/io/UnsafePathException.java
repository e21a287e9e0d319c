package org.rlhf4j.io;

import java.io.IOException;

/**
 * A path refused because it leaves the root directory the caller confined I/O to ({@link PathRoot}):
 * by {@code ..}, by being absolute elsewhere, or through a symbolic link whose target is outside the root
 * (or nowhere).
 */
public class UnsafePathException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String root;

    public UnsafePathException(String path, String root, String why) {
        super(path + ": refused, " + why + " (root " + root + ")");
        this.path = path;
        this.root = root;
    }

    /** The path as it was given. */
    public String path() {
        return path;
    }

    /** The root it had to stay under (its real path). */
    public String root() {
        return root;
    }
}
