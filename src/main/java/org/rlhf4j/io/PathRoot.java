package org.rlhf4j.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A directory that I/O is confined to: a checkpoint or dataset path given relative to it (from a config
 * file, a command line, a web form) is resolved by {@link #resolve(String)}, which refuses, with an
 * {@link UnsafePathException}, any path that leaves the root: {@code ../x}, an absolute path elsewhere, or a
 * symbolic link on the way whose target is outside the root or does not exist (a dangling link would let a
 * write create a file wherever it points). Links that stay inside are followed.
 *
 * <p>Use the path {@code resolve} returns: it has no {@code ..} and no symbolic link left in the part that
 * exists, so I/O goes where the check looked. The check cannot stop a link that someone swaps in after it
 * (a race no path check can close without {@code openat}-style APIs, which Java lacks); confine I/O to
 * directories that untrusted users cannot write to.
 */
public final class PathRoot {

    private final Path real;

    private PathRoot(Path real) {
        this.real = real;
    }

    /** The root at {@code dir}, which must be an existing directory (its real path is what paths must stay under). */
    public static PathRoot of(Path dir) throws IOException {
        Path r = dir.toRealPath();
        if (!Files.isDirectory(r)) {
            throw new NotDirectoryException(dir.toString());
        }
        return new PathRoot(r);
    }

    /** The root's real path. */
    public Path path() {
        return real;
    }

    /** {@code relative} (or an absolute path inside the root) resolved under the root; the root itself is allowed. */
    public Path resolve(String relative) throws UnsafePathException {
        return resolve(relative, false);
    }

    /**
     * As {@link #resolve(String)}, but the root itself is refused too: for a checkpoint directory, whose
     * save writes temporary siblings next to it (they must be inside the root as well).
     */
    public Path resolveBelow(String relative) throws UnsafePathException {
        return resolve(relative, true);
    }

    private Path resolve(String given, boolean strictlyBelow) throws UnsafePathException {
        if (given == null || given.isEmpty() || given.indexOf('\0') >= 0) {
            throw refuse(String.valueOf(given), "an empty path or one with a NUL character");
        }
        Path lexical;
        try {
            lexical = real.resolve(given).normalize(); // an absolute 'given' replaces the root: checked next
        } catch (java.nio.file.InvalidPathException e) {
            throw refuse(given, "not a valid path: " + e.getReason());
        }
        if (!lexical.startsWith(real)) {
            throw refuse(given, Path.of(given).isAbsolute() ? "an absolute path outside the root" : "it climbs out with ..");
        }
        Path cur = real;
        Path rest = real.relativize(lexical);
        int n = rest.toString().isEmpty() ? 0 : rest.getNameCount();
        for (int i = 0; i < n; i++) {
            cur = cur.resolve(rest.getName(i));
            if (Files.isSymbolicLink(cur)) {
                Path target;
                try {
                    target = cur.toRealPath();
                } catch (FileSystemException e) {
                    throw refuse(given, "the symbolic link " + cur + " points nowhere (or into a loop)");
                } catch (IOException e) {
                    throw refuse(given, "the symbolic link " + cur + " cannot be followed: " + e.getMessage());
                }
                if (!target.startsWith(real)) {
                    throw refuse(given, "the symbolic link " + cur + " leads outside, to " + target);
                }
                cur = target;
            } else if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                for (int j = i + 1; j < n; j++) { // nothing below a missing name exists: no links to follow
                    cur = cur.resolve(rest.getName(j));
                }
                break;
            }
        }
        if (strictlyBelow && cur.equals(real)) {
            throw refuse(given, "it is the root itself, not a directory below it");
        }
        return cur;
    }

    private UnsafePathException refuse(String given, String why) {
        return new UnsafePathException(given, real.toString(), why);
    }

    @Override
    public String toString() {
        return "PathRoot[" + real + "]";
    }
}
