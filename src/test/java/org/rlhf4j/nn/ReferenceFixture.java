package org.rlhf4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.testing.GoldenFixture;

/**
 * The golden fixture written by dev/reference/gpt_reference.py (format in its docstring and in
 * {@link GoldenFixture}, whose validating reader this delegates to): magic "R4JGPTRF", int32 version 1,
 * int32 count, then named float32 or int32 arrays with their dims, all little-endian.
 */
final class ReferenceFixture {

    /** One named array: dims, and floats or ints (the other null). */
    record Entry(int[] dims, float[] floats, int[] ints) { }

    final Map<String, Entry> entries = new LinkedHashMap<>();

    static ReferenceFixture load(String resource) {
        GoldenFixture golden;
        try {
            golden = GoldenFixture.resource(ReferenceFixture.class, resource);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage()
                    + " (regenerate with /usr/bin/python3 dev/reference/gpt_reference.py)", e);
        }
        ReferenceFixture fx = new ReferenceFixture();
        for (String name : golden.names()) {
            GoldenFixture.Entry e = golden.entry(name);
            fx.entries.put(name, new Entry(e.dims(), e.floats(), e.ints()));
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
