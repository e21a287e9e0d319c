package org.rlhf4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a crash at any moment leaves either the old file or the new one, never a
 * mixture: the bytes go to {@code <name>.tmp-<random>} in the same directory, are forced to the
 * device ({@code FileChannel.force(true)}), and the temp file is then renamed over the target with
 * {@code ATOMIC_MOVE}. Where the file system cannot move atomically
 * ({@link AtomicMoveNotSupportedException}), the move falls back to {@code REPLACE_EXISTING}, which
 * on such a file system may briefly expose a missing target; POSIX file systems and NTFS support the
 * atomic rename. After the rename the directory itself is forced where the platform allows, so the
 * rename survives a power cut. If writing fails, the temp file is deleted and the target is untouched;
 * a temp file left by a killed process is removed by the next write of the same target (one writer
 * per target at a time is assumed).
 */
public final class AtomicFiles {

    /** Writes a file's contents into an open channel. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Atomically replaces (or creates) {@code target} with what {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        removeStale(dir, name + ".tmp-");
        Path temp = dir.resolve(name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            move(temp, file);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceDirectory(dir);
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Writes all remaining bytes of {@code buf}. */
    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}; see the class comment for the fallback. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces a directory's entries to the device; a no-op where directories cannot be opened (Windows). */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is already atomic; this only adds durability
        }
    }

    /** Deletes the plain files in {@code dir} whose names start with {@code prefix}. */
    static void removeStale(Path dir, String prefix) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p)) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
    }
}
