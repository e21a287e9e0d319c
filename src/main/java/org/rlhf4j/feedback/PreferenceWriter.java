package org.rlhf4j.feedback;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.JsonlLines;

/**
 * Appends preference records to a JSONL file so that a crash never corrupts the records already there.
 * Each {@link #write} appends exactly one whole line (the record as {@link PreferenceJson#format} writes it,
 * then {@code '\n'}) in one positional write, and forces it to the device ({@code FileChannel.force}) every
 * {@code syncEvery} records (default 1: every answer a person gives survives a power cut the moment
 * {@code write} returns).
 *
 * <p>A crash in the middle of a write can leave a torn last line: bytes without a final {@code '\n'}.
 * Opening the file repairs it before anything is appended: if the unterminated last line is a complete,
 * valid record (a file written by hand without a final newline), a {@code '\n'} is added and the record
 * kept; otherwise the torn bytes are truncated away ({@link #droppedBytes()} says how many), so every
 * earlier record stays intact and the next record starts on its own line. Only the one record being
 * written at the crash is lost, and it was never acknowledged.
 *
 * <p>One writer per file: the file is locked ({@link FileChannel#tryLock()}) while open, and a second
 * writer, in this process or another, fails with an {@link IOException} instead of interleaving lines.
 */
public final class PreferenceWriter implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final int syncEvery;
    private final long droppedBytes;
    private long unsynced;
    private long written;
    private boolean closed;

    private PreferenceWriter(Path file, FileChannel channel, FileLock lock, int syncEvery, long droppedBytes) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.syncEvery = syncEvery;
        this.droppedBytes = droppedBytes;
    }

    /** Opens {@code file} for appending (creating it and its directories), forcing every record. */
    public static PreferenceWriter open(Path file) throws IOException {
        return open(file, 1);
    }

    /**
     * Opens {@code file} for appending, forcing to the device after every {@code syncEvery} records (and
     * on {@link #flush} and {@link #close}). A larger value is faster for machine-made labels; a crash
     * then loses at most the last {@code syncEvery - 1} records, never an earlier one.
     */
    public static PreferenceWriter open(Path file, int syncEvery) throws IOException {
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery must be >= 1, got " + syncEvery);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(file + ": already open for writing by another PreferenceWriter (in this or "
                        + "another process); one writer per file");
            }
            long dropped = repairTail(ch, file);
            return new PreferenceWriter(file, ch, lock, syncEvery, dropped);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Appends one record as one line; forced to the device as {@code syncEvery} says. */
    public synchronized void write(Preference p) throws IOException {
        if (closed) {
            throw new IllegalStateException("this PreferenceWriter for " + file + " is closed");
        }
        byte[] line = (PreferenceJson.format(p) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        long at = channel.size();
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        written++;
        if (++unsynced >= syncEvery) {
            flush();
        }
    }

    /** Forces every record written so far to the device. */
    public synchronized void flush() throws IOException {
        if (!closed && unsynced > 0) {
            channel.force(false);
            unsynced = 0;
        }
    }

    /** The number of records this writer has appended. */
    public synchronized long written() {
        return written;
    }

    /** How many bytes of a torn last line were truncated when the file was opened (0 if none). */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Ends the file on a line end: keeps a complete unterminated last record, truncates a torn one. */
    private static long repairTail(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size == 0 || byteAt(ch, size - 1) == '\n') {
            return 0;
        }
        long start = lineStart(ch, size - 1); // the first byte of the last line
        long length = size - start;
        if (length <= PreferenceReader.Options.DEFAULT_MAX_LINE_BYTES && isRecord(ch, start, (int) length, file)) {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            ch.force(false);
            return 0;
        }
        ch.truncate(start);
        ch.force(false);
        return length;
    }

    private static boolean isRecord(FileChannel ch, long start, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
            // read fully
        }
        JsonlLines lines = new JsonlLines(new ByteArrayInputStream(buf.array()), length + 1);
        try {
            return lines.next() && PreferenceReader.parse(lines, file.toString()) != null;
        } catch (DatasetFormatException e) {
            return false;
        }
    }

    private static int byteAt(FileChannel ch, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        if (ch.read(one, position) != 1) {
            throw new IOException("could not read byte " + position + " of a file of " + ch.size() + " bytes");
        }
        return one.get(0);
    }

    /** The position just after the last '\n' before {@code end}, or 0; reads backwards 64 KiB at a time. */
    private static long lineStart(FileChannel ch, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (long hi = end; hi > 0; ) {
            long lo = Math.max(0, hi - chunk.capacity());
            chunk.clear().limit((int) (hi - lo));
            while (chunk.hasRemaining() && ch.read(chunk, lo + chunk.position()) >= 0) {
                // read fully
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return lo + i + 1;
                }
            }
            hi = lo;
        }
        return 0;
    }
}
