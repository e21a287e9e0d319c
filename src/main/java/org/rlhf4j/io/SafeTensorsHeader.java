package org.rlhf4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated safetensors header: every entry checked on its own (fields, dtype, shape, exact byte
 * size, offsets), then all together (sorted by begin they tile the data section with no gap or
 * overlap, and the last ends exactly where the file ends). Nothing is allocated for tensor data until
 * a header has passed all of this.
 *
 * @param entries the tensors in the order their data lies in the file (ties between zero-size
 *     tensors keep header order)
 * @param metadata the {@code __metadata__} map (empty if absent), in header order
 * @param dataStart the file position of the data section: 8 + header length
 */
public record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {

    /** The reserved key for the free-form string map. */
    public static final String METADATA = "__metadata__";

    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    /**
     * One tensor's header entry. {@code shape} is in longs, as the format allows; the reader checks
     * that it fits {@code int} before loading.
     *
     * @param begin first byte, relative to {@code dataStart}
     * @param end one past the last byte, relative to {@code dataStart}
     */
    public record Entry(String name, Dtype dtype, long[] shape, long elements, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
        }
    }

    public SafeTensorsHeader {
        entries = List.copyOf(entries);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Checks {@code root} (the parsed header) against the format, for a data section of
     * {@code dataBytes} bytes starting at {@code dataStart}.
     */
    static SafeTensorsHeader validate(String file, JsonNode root, long dataStart, long dataBytes)
            throws SafeTensorsException {
        if (!root.isObject()) {
            throw new SafeTensorsException.NotAnObject(file, "header is a JSON " + root.getNodeType()
                    + ", not an object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        // 1. sorted by (begin, end), the entries must tile [0, dataBytes) exactly
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() != expected) {
                String where = previous == null ? "the data section starts at 0"
                        : brief(previous.name()) + " ends at " + expected;
                throw new SafeTensorsException.NonContiguous(file, "tensor " + brief(e.name()) + " begins at " + e.begin()
                        + " but " + where + (e.begin() > expected ? " (a gap)" : " (an overlap)"));
            }
            expected = e.end();
            previous = e;
        }
        // 2. and the last one ends at the end of the file
        if (expected != dataBytes) {
            throw new SafeTensorsException.DataEndMismatch(file, "tensors end at data byte " + expected
                    + " but the data section holds " + dataBytes + " bytes"
                    + (expected > dataBytes ? " (file truncated)" : " (trailing bytes)"));
        }
        return new SafeTensorsHeader(byOffset, metadata, dataStart);
    }

    private static Map<String, String> metadata(String file, JsonNode node) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException.BadMetadata(file, METADATA + " is a JSON " + node.getNodeType()
                    + ", not an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual()) {
                throw new SafeTensorsException.BadMetadata(file, METADATA + " value for " + brief(kv.getKey())
                        + " is a JSON " + kv.getValue().getNodeType() + ", not a string");
            }
            map.put(kv.getKey(), kv.getValue().textValue());
        }
        return map;
    }

    private static Entry entry(String file, String name, JsonNode node) throws SafeTensorsException {
        String what = "tensor " + brief(name);
        if (!node.isObject()) {
            throw new SafeTensorsException.BadEntry(file, what + " is a JSON " + node.getNodeType() + ", not an object");
        }
        for (String f : FIELDS) {
            if (!node.has(f)) {
                throw new SafeTensorsException.BadEntry(file, what + " has no \"" + f + "\" field");
            }
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new SafeTensorsException.BadEntry(file, what + " has an unexpected field " + brief(f));
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (!dtypeNode.isTextual()) {
            throw new SafeTensorsException.BadEntry(file, what + ": dtype is a JSON " + dtypeNode.getNodeType()
                    + ", not a string");
        }
        if (!shapeNode.isArray()) {
            throw new SafeTensorsException.BadEntry(file, what + ": shape is a JSON " + shapeNode.getNodeType()
                    + ", not an array");
        }
        if (!offsetsNode.isArray()) {
            throw new SafeTensorsException.BadEntry(file, what + ": data_offsets is a JSON " + offsetsNode.getNodeType()
                    + ", not an array");
        }
        Dtype dtype = Dtype.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw new SafeTensorsException.UnknownDtype(file, what + " has unknown dtype " + brief(dtypeNode.textValue()));
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.bigIntegerValue().signum() < 0) {
                throw new SafeTensorsException.BadShape(file, what + ": dimension " + i + " is " + brief(d.toString())
                        + ", not a non-negative integer");
            }
            if (!d.canConvertToLong()) {
                throw new SafeTensorsException.SizeOverflow(file, what + ": dimension " + i + " = " + brief(d.toString())
                        + " does not fit a signed 64-bit integer");
            }
            shape[i] = d.longValue();
        }
        // exact sizes: elements = prod(shape), bytes = elements * dtype size, both overflow-checked
        long elements = 1;
        long bytes;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException.SizeOverflow(file, what + ": shape " + Arrays.toString(shape) + " of "
                    + dtype + " has more bytes than a signed 64-bit integer counts");
        }
        if (offsetsNode.size() != 2) {
            throw new SafeTensorsException.BadOffsets(file, what + ": data_offsets has " + offsetsNode.size()
                    + " elements, not [begin, end]");
        }
        long begin = offset(file, what, "begin", offsetsNode.get(0));
        long end = offset(file, what, "end", offsetsNode.get(1));
        if (begin > end) {
            throw new SafeTensorsException.BadOffsets(file, what + ": data_offsets begin " + begin + " > end " + end);
        }
        if (end - begin != bytes) {
            throw new SafeTensorsException.SizeMismatch(file, what + ": data_offsets span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, elements, begin, end);
    }

    private static long offset(String file, String what, String which, JsonNode n) throws SafeTensorsException {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new SafeTensorsException.BadOffsets(file, what + ": data_offsets " + which + " is " + brief(n.toString())
                    + ", not a non-negative 64-bit integer");
        }
        return n.longValue();
    }

    /** {@code s} quoted for a message, cut to 80 characters: names and values come from the file. */
    static String brief(String s) {
        String cut = s.length() <= 80 ? s : s.substring(0, 80) + "...(" + s.length() + " chars)";
        return "\"" + cut + "\"";
    }
}
