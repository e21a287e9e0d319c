package org.rlhf4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Golden fixtures: named float32 and int32 arrays with their dims, in the format dev/reference/gpt_reference.py
 * writes for rlhf4j's PyTorch parity test (little-endian: magic {@code R4JGPTRF}, int32 version 1, int32
 * count, then per entry int32 name length, UTF-8 name, int32 dtype 0 float32 / 1 int32, int32 rank, int32
 * dims, the elements row-major). Load one written by PyTorch (or by {@link #builder()} from rlhf4j, for a
 * regression fixture) and compare arrays with {@link #assertClose(String, float[], double, double)}, whose
 * tolerance should come from an error bound ({@link #sumBound(int, double)}).
 *
 * <p>The reader validates before it allocates: the magic and version, rank at most 8, non-negative dims,
 * and an element count that fits in the bytes left; each violation is an {@link IllegalArgumentException}.
 */
public final class GoldenFixture {

    private static final byte[] MAGIC = "R4JGPTRF".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1, FLOAT32 = 0, INT32 = 1, MAX_RANK = 8;

    /**
     * One named array: its dims and floats or ints (the other null).
     *
     * @param dims   the shape
     * @param floats the values, for a float32 entry
     * @param ints   the values, for an int32 entry
     */
    public record Entry(int[] dims, float[] floats, int[] ints) { }

    private final Map<String, Entry> entries;

    private GoldenFixture(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Reads a fixture file. */
    public static GoldenFixture load(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** Reads a fixture from the class path, relative to {@code anchor} as {@link Class#getResourceAsStream} does. */
    public static GoldenFixture resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name + " beside " + anchor.getName());
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses fixture bytes. */
    public static GoldenFixture parse(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        need(buf, MAGIC.length + 8, "header");
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a golden fixture: bad magic");
        }
        int version = buf.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("fixture version " + version + ", this reader knows " + VERSION);
        }
        int count = buf.getInt();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int e = 0; e < count; e++) {
            need(buf, 4, "entry " + e);
            int nameLength = buf.getInt();
            need(buf, nameLength, "entry " + e + "'s name");
            byte[] name = new byte[nameLength];
            buf.get(name);
            String key = new String(name, StandardCharsets.UTF_8);
            need(buf, 8, key);
            int dtype = buf.getInt(), rank = buf.getInt();
            if (dtype != FLOAT32 && dtype != INT32 || rank < 0 || rank > MAX_RANK) {
                throw new IllegalArgumentException(key + ": dtype " + dtype + ", rank " + rank);
            }
            need(buf, 4L * rank, key + "'s dims");
            int[] dims = new int[rank];
            long n = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = buf.getInt();
                if (dims[d] < 0) {
                    throw new IllegalArgumentException(key + ": negative dim " + dims[d]);
                }
                n *= dims[d];
                need(buf, 4 * n, key + "'s elements");
            }
            need(buf, 4 * n, key + "'s elements");
            float[] floats = dtype == FLOAT32 ? new float[(int) n] : null;
            int[] ints = dtype == INT32 ? new int[(int) n] : null;
            for (int i = 0; i < n; i++) {
                if (floats != null) {
                    floats[i] = buf.getFloat();
                } else {
                    ints[i] = buf.getInt();
                }
            }
            if (entries.put(key, new Entry(dims, floats, ints)) != null) {
                throw new IllegalArgumentException("duplicate entry " + key);
            }
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException(buf.remaining() + " bytes after the last entry");
        }
        return new GoldenFixture(entries);
    }

    private static void need(ByteBuffer buf, long bytes, String what) {
        if (bytes < 0 || bytes > buf.remaining()) {
            throw new IllegalArgumentException("fixture truncated: " + what + " needs " + bytes + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    /** The entry names, in file order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The named entry. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("fixture has no entry " + name + " (it has " + entries.keySet() + ")");
        }
        return e;
    }

    /** The named float32 entry's values. */
    public float[] floats(String name) {
        return Objects.requireNonNull(entry(name).floats(), () -> name + " is not float32");
    }

    /** The named int32 entry's values. */
    public int[] ints(String name) {
        return Objects.requireNonNull(entry(name).ints(), () -> name + " is not int32");
    }

    /**
     * The error bound of a float sum of {@code terms} terms whose absolute values add up to {@code sumOfAbs},
     * summed in any order: {@code terms u sumOfAbs}, u = 2^-24 (Higham, "Accuracy and Stability of Numerical
     * Algorithms", Eq. 4.4, to first order). Use it as the atol of a dot product or a reduction.
     */
    public static double sumBound(int terms, double sumOfAbs) {
        return terms * GradientCheck.U * sumOfAbs;
    }

    /**
     * Asserts {@code |actual_i - expected_i| <= atol + rtol |expected_i|} for every element of the named float
     * entry; the message names the worst element and how many failed.
     */
    public void assertClose(String name, float[] actual, double atol, double rtol) {
        float[] expected = floats(name);
        if (expected.length != actual.length) {
            throw new AssertionError(name + ": " + actual.length + " values, the fixture has " + expected.length
                    + " " + Arrays.toString(entry(name).dims()));
        }
        int failures = 0, worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double bound = atol + rtol * Math.abs(expected[i]);
            double diff = Math.abs(actual[i] - expected[i]);
            double r = diff == 0 ? 0 : diff / bound;
            if (Double.isNaN(r)) {
                r = Double.POSITIVE_INFINITY;
            }
            failures += r > 1 ? 1 : 0;
            if (worst < 0 || r > worstRatio) {
                worst = i;
                worstRatio = r;
            }
        }
        if (failures > 0) {
            throw new AssertionError(name + ": " + failures + " of " + expected.length + " elements differ; worst at "
                    + worst + ": " + actual[worst] + ", fixture " + expected[worst] + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    /** A fixture under construction, to record rlhf4j's own outputs for a regression test. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects named arrays and writes them in the fixture format. */
    public static final class Builder {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Set<String> names = new java.util.LinkedHashSet<>();

        private Builder() {
        }

        /** Adds a float32 entry of the given dims (their product must equal the length). */
        public Builder floats(String name, float[] values, int... dims) {
            ByteBuffer b = header(name, FLOAT32, values.length, dims);
            for (float v : values) {
                b.putFloat(v);
            }
            body.write(b.array(), 0, b.position());
            return this;
        }

        /** Adds an int32 entry of the given dims. */
        public Builder ints(String name, int[] values, int... dims) {
            ByteBuffer b = header(name, INT32, values.length, dims);
            for (int v : values) {
                b.putInt(v);
            }
            body.write(b.array(), 0, b.position());
            return this;
        }

        private ByteBuffer header(String name, int dtype, int length, int[] dims) {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            if (n != length || dims.length > MAX_RANK) {
                throw new IllegalArgumentException(name + ": " + length + " values for dims " + Arrays.toString(dims));
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("duplicate entry " + name);
            }
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(12 + key.length + 4 * dims.length + 4 * length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(key.length).put(key).putInt(dtype).putInt(dims.length);
            for (int d : dims) {
                b.putInt(d);
            }
            return b;
        }

        /** The fixture's bytes. */
        public byte[] toBytes() {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(VERSION).putInt(names.size());
            byte[] b = body.toByteArray(), out = new byte[head.capacity() + b.length];
            System.arraycopy(head.array(), 0, out, 0, head.capacity());
            System.arraycopy(b, 0, out, head.capacity(), b.length);
            return out;
        }

        /**
         * Writes the fixture to {@code file} (a path the caller chose) through a temporary file in the same
         * directory and an atomic rename, so a half-written fixture never replaces a good one.
         */
        public void writeTo(Path file) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, toBytes());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
