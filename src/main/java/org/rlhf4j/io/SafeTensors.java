package org.rlhf4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rlhf4j.tensor.TensorLimits;

/**
 * Reads and writes the Hugging Face safetensors format:
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  UTF-8 JSON object: name -> {"dtype", "shape", "data_offsets": [begin, end]},
 *              plus optional "__metadata__": {string: string}
 *   [rest]     the tensors' raw little-endian bytes; offsets count from the byte after the header
 * </pre>
 * Reading validates the whole header ({@link SafeTensorsHeader}) and then, for the tensors to be
 * loaded, their dtype and array size, before allocating anything for tensor data; only then are the
 * tensors read, one at a time, through a {@link FileChannel}. Tensors come back as
 * {@link NamedTensor}s (name, file dtype, int shape, float data) in the order their data lies in the
 * file. Writing ({@link SafeTensorsWriter}) produces F32 files atomically. docs/checkpoints.md lists
 * every rule and the exception that reports it.
 */
public final class SafeTensors {

    /** Tensor data is read in pieces of at most this many bytes. */
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {
    }

    /** Reads every tensor of {@code file} with the default limits. */
    public static SafeTensorsFile read(Path file) throws IOException {
        return read(file, ReadOptions.defaults());
    }

    /** Reads the tensors of {@code file} that {@code options} includes. */
    public static SafeTensorsFile read(Path file, ReadOptions options) throws IOException {
        String src = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = header(src, ch, options);
            // 1. every tensor to load must be convertible and fit an array: checked before any allocation
            List<SafeTensorsHeader.Entry> wanted = new ArrayList<>();
            for (SafeTensorsHeader.Entry e : header.entries()) {
                if (options.include().test(e.name())) {
                    checkLoadable(src, e, options);
                    wanted.add(e);
                }
            }
            // 2. load them, in file order
            List<NamedTensor> tensors = new ArrayList<>(wanted.size());
            for (SafeTensorsHeader.Entry e : wanted) {
                tensors.add(load(src, ch, header.dataStart(), e));
            }
            return new SafeTensorsFile(tensors, header.metadata());
        }
    }

    /** Reads and validates only the header of {@code file}; no tensor data is read. */
    public static SafeTensorsHeader readHeader(Path file, ReadOptions options) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file.toString(), ch, options);
        }
    }

    /** Writes F32 tensors and metadata to {@code file} atomically; see {@link SafeTensorsWriter}. */
    public static void write(Path file, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** Writes F32 tensors with no metadata. */
    public static void write(Path file, List<NamedTensor> tensors) throws IOException {
        SafeTensorsWriter.write(file, tensors, Map.of());
    }

    private static SafeTensorsHeader header(String src, FileChannel ch, ReadOptions options) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsException.FileTooShort(src, "file has " + size
                    + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(src, ch, lengthBytes, 0);
        long n = lengthBytes.getLong(0); // unsigned: a negative long is a length >= 2^63
        if (Long.compareUnsigned(n, options.maxHeaderBytes()) > 0) {
            throw new SafeTensorsException.HeaderTooLarge(src, "header length " + Long.toUnsignedString(n)
                    + " is over the cap of " + options.maxHeaderBytes() + " bytes");
        }
        if (n > size - 8) {
            throw new SafeTensorsException.HeaderPastEnd(src, "header length " + n + " runs past the end of the file ("
                    + (size - 8) + " bytes follow the length)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n); // n <= maxHeaderBytes < 2^31, and n <= file size
        readFully(src, ch, headerBytes, 8);
        JsonNode root = HeaderJson.parse(src, headerBytes.array());
        return SafeTensorsHeader.validate(src, root, 8 + n, size - 8 - n);
    }

    private static void checkLoadable(String src, SafeTensorsHeader.Entry e, ReadOptions options)
            throws SafeTensorsException {
        String what = "tensor " + SafeTensorsHeader.brief(e.name());
        if (!e.dtype().loadable()) {
            throw new SafeTensorsException.UnsupportedDtype(src, what + " has dtype " + e.dtype()
                    + ", which rlhf4j does not convert to float (exclude it with ReadOptions.include)");
        }
        for (long d : e.shape()) {
            if (d > Integer.MAX_VALUE) {
                throw new SafeTensorsException.TensorTooLarge(src, what + ": dimension " + d + " in "
                        + Arrays.toString(e.shape()) + " exceeds 2^31 - 1");
            }
        }
        long max = Math.min(options.maxElements(), TensorLimits.maxElements()); // the tensor cap applies too
        if (e.elements() > max) {
            throw new SafeTensorsException.TensorTooLarge(src, what + " has " + e.elements()
                    + " elements, over the limit of " + max + (max < options.maxElements()
                    ? " (-D" + TensorLimits.MAX_ELEMENTS_PROPERTY + ", TensorLimits)" : ""));
        }
    }

    private static NamedTensor load(String src, FileChannel ch, long dataStart, SafeTensorsHeader.Entry e)
            throws IOException {
        int elements = (int) e.elements(); // checked by checkLoadable
        int size = e.dtype().bytes();
        float[] data = new float[elements];
        int perChunk = Math.max(1, CHUNK / size);
        ByteBuffer buf = ByteBuffer.allocate(Math.min(elements, perChunk) * size).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + e.begin();
        for (int done = 0; done < elements;) {
            int n = Math.min(perChunk, elements - done);
            buf.clear().limit(n * size);
            readFully(src, ch, buf, position);
            buf.flip();
            int bad = FloatDecoding.decode(e.dtype(), buf, data, done, n);
            if (bad != FloatDecoding.OK) {
                throw new SafeTensorsException.Narrowing(src, "tensor " + SafeTensorsHeader.brief(e.name())
                        + ": element " + (done + bad) + " of " + e.dtype() + " has no faithful float value");
            }
            done += n;
            position += (long) n * size;
        }
        int[] shape = new int[e.shape().length];
        long[] longShape = e.shape();
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) longShape[i];
        }
        return new NamedTensor(e.name(), e.dtype(), shape, data);
    }

    /** Fills {@code buf} from {@code position}; a file that ends first has changed since it was validated. */
    private static void readFully(String src, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int got = ch.read(buf, at);
            if (got < 0) {
                throw new SafeTensorsException.DataEndMismatch(src, "file ended at byte " + at
                        + " while reading (it shrank after it was validated)");
            }
            at += got;
        }
    }
}
