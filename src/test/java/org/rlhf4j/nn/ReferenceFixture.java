package org.rlhf4j.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the golden fixture written by dev/reference/gpt_reference.py (format in its docstring):
 * magic "R4JGPTRF", int32 version 1, int32 count, then named float32 or int32 arrays with their dims,
 * all little-endian.
 */
final class ReferenceFixture {

    /** One named array: dims, and floats or ints (the other null). */
    record Entry(int[] dims, float[] floats, int[] ints) { }

    private static final byte[] MAGIC = "R4JGPTRF".getBytes(StandardCharsets.US_ASCII);

    final Map<String, Entry> entries = new LinkedHashMap<>();

    static ReferenceFixture load(String resource) {
        try (InputStream in = ReferenceFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + " (regenerate with /usr/bin/python3 dev/reference/gpt_reference.py)");
            }
            return parse(ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ReferenceFixture parse(ByteBuffer buf) {
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalStateException("not a reference fixture: bad magic");
        }
        int version = buf.getInt();
        if (version != 1) {
            throw new IllegalStateException("fixture version " + version + ", this reader knows 1");
        }
        ReferenceFixture fx = new ReferenceFixture();
        int count = buf.getInt();
        for (int e = 0; e < count; e++) {
            byte[] name = new byte[buf.getInt()];
            buf.get(name);
            int dtype = buf.getInt(), rank = buf.getInt();
            int[] dims = new int[rank];
            int n = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = buf.getInt();
                n *= dims[d];
            }
            float[] floats = dtype == 0 ? new float[n] : null;
            int[] ints = dtype == 1 ? new int[n] : null;
            for (int i = 0; i < n; i++) {
                if (floats != null) {
                    floats[i] = buf.getFloat();
                } else {
                    ints[i] = buf.getInt();
                }
            }
            fx.entries.put(new String(name, StandardCharsets.UTF_8), new Entry(dims, floats, ints));
        }
        if (buf.hasRemaining()) {
            throw new IllegalStateException(buf.remaining() + " bytes after the last entry");
        }
        return fx;
    }

    Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalStateException("fixture has no entry " + name);
        }
        return e;
    }

    float[] floats(String name) {
        return get(name).floats();
    }

    int[] ints(String name) {
        return get(name).ints();
    }
}
