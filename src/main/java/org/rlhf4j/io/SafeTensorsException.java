package org.rlhf4j.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read or written as it stands. Checked (an {@link IOException}):
 * a bad file is an I/O condition the caller must plan for, and callers of a reader already handle
 * {@code IOException}. Each kind of fault is its own nested subclass, so a caller or a test can tell
 * them apart without reading messages; every message starts with the file and then says what is
 * wrong. docs/checkpoints.md has the table of rules and exceptions.
 */
public class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;

    public SafeTensorsException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file (or other source) this is about. */
    public String file() {
        return file;
    }

    /** Fewer than the 8 bytes of the header length. */
    public static final class FileTooShort extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public FileTooShort(String file, String problem) { super(file, problem); }
    }

    /** The header length is over the configured cap (see {@link ReadOptions#maxHeaderBytes()}). */
    public static final class HeaderTooLarge extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public HeaderTooLarge(String file, String problem) { super(file, problem); }
    }

    /** The header length points past the end of the file. */
    public static final class HeaderPastEnd extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public HeaderPastEnd(String file, String problem) { super(file, problem); }
    }

    /** The header bytes are not valid UTF-8. */
    public static final class InvalidUtf8 extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public InvalidUtf8(String file, String problem) { super(file, problem); }
    }

    /** The header is not valid JSON (syntax, trailing content, or past the parser's limits). */
    public static final class InvalidJson extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public InvalidJson(String file, String problem) { super(file, problem); }
    }

    /** The header is valid JSON but not a JSON object. */
    public static final class NotAnObject extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public NotAnObject(String file, String problem) { super(file, problem); }
    }

    /** A JSON object in the header names the same key twice. */
    public static final class DuplicateKey extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public DuplicateKey(String file, String problem) { super(file, problem); }
    }

    /** A tensor entry is not an object, lacks a field, has a field of the wrong JSON type, or an extra field. */
    public static final class BadEntry extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public BadEntry(String file, String problem) { super(file, problem); }
    }

    /** A dtype string this reader does not recognise. */
    public static final class UnknownDtype extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public UnknownDtype(String file, String problem) { super(file, problem); }
    }

    /** A recognised dtype that cannot be loaded as float (F8 types), or written (anything but F32). */
    public static final class UnsupportedDtype extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public UnsupportedDtype(String file, String problem) { super(file, problem); }
    }

    /** A dimension that is negative or not an integer. */
    public static final class BadShape extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public BadShape(String file, String problem) { super(file, problem); }
    }

    /** The element count or byte size of a shape overflows a signed 64-bit integer. */
    public static final class SizeOverflow extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public SizeOverflow(String file, String problem) { super(file, problem); }
    }

    /** A valid tensor too large for a Java array, or over {@link ReadOptions#maxElements()}. */
    public static final class TensorTooLarge extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public TensorTooLarge(String file, String problem) { super(file, problem); }
    }

    /** {@code data_offsets} is not {@code [begin, end]} with integers {@code 0 <= begin <= end}. */
    public static final class BadOffsets extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public BadOffsets(String file, String problem) { super(file, problem); }
    }

    /** {@code end - begin} differs from the shape's element count times the dtype size. */
    public static final class SizeMismatch extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public SizeMismatch(String file, String problem) { super(file, problem); }
    }

    /** Sorted by begin, the tensors leave a gap or overlap (or the first does not start at 0). */
    public static final class NonContiguous extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public NonContiguous(String file, String problem) { super(file, problem); }
    }

    /** The last tensor does not end exactly at the end of the file (truncated file or trailing bytes). */
    public static final class DataEndMismatch extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public DataEndMismatch(String file, String problem) { super(file, problem); }
    }

    /** {@code __metadata__} is not an object mapping strings to strings. */
    public static final class BadMetadata extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public BadMetadata(String file, String problem) { super(file, problem); }
    }

    /** An element has no faithful float (an F64 beyond float range, a large integer). */
    public static final class Narrowing extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public Narrowing(String file, String problem) { super(file, problem); }
    }

    /** Tensors handed to the writer that cannot form a valid file (duplicate or reserved names, shapes). */
    public static final class BadInput extends SafeTensorsException {
        private static final long serialVersionUID = 1L;
        public BadInput(String file, String problem) { super(file, problem); }
    }
}
