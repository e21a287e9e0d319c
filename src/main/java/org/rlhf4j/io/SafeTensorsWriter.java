package org.rlhf4j.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes F32 safetensors files as Hugging Face's library does: tensors sorted by name (compared as
 * UTF-8 bytes, which is the library's order for a single dtype), data laid out in that order with no
 * gaps, the header as compact JSON with {@code __metadata__} first (omitted when empty; its keys sorted
 * the same way, where the library's order is arbitrary), padded with spaces so that the data starts at
 * a multiple of 8 bytes. The same tensors and metadata therefore always give the same bytes, whatever
 * order they are passed in. The file is replaced atomically ({@link AtomicFiles}).
 */
final class SafeTensorsWriter {

    private static final int CHUNK_FLOATS = 1 << 18;

    private SafeTensorsWriter() {
    }

    static void write(Path file, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        String src = file.toString();
        List<NamedTensor> sorted = sorted(src, tensors);
        for (Map.Entry<String, String> kv : metadata.entrySet()) {
            if (!validUnicode(kv.getKey()) || !validUnicode(kv.getValue())) {
                throw new SafeTensorsException.BadInput(src, "metadata entry " + SafeTensorsHeader.brief(kv.getKey())
                        + " is not valid Unicode (an unpaired surrogate)");
            }
        }
        byte[] header = header(sorted, metadata);
        AtomicFiles.write(file, ch -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, length);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (NamedTensor t : sorted) {
                writeFloats(ch, t.data());
            }
        });
    }

    /** The header bytes: compact JSON padded with spaces to a multiple of 8. */
    static byte[] header(List<NamedTensor> sorted, Map<String, String> metadata) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA);
            List<String> keys = new ArrayList<>(metadata.keySet());
            keys.sort(Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
            keys.forEach(k -> meta.put(k, metadata.get(k)));
        }
        long offset = 0;
        for (NamedTensor t : sorted) {
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", Dtype.F32.name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.size();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.COMPACT.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    /** The tensors in writing order, after checking names are unique and not reserved and dtypes are F32. */
    static List<NamedTensor> sorted(String src, List<NamedTensor> tensors) throws SafeTensorsException {
        Set<String> seen = new HashSet<>();
        for (NamedTensor t : tensors) {
            if (t.name().equals(SafeTensorsHeader.METADATA)) {
                throw new SafeTensorsException.BadInput(src, "a tensor cannot be called " + SafeTensorsHeader.METADATA);
            }
            if (!validUnicode(t.name())) {
                throw new SafeTensorsException.BadInput(src, "tensor name " + SafeTensorsHeader.brief(t.name())
                        + " is not valid Unicode (an unpaired surrogate), so it has no UTF-8 form");
            }
            if (!seen.add(t.name())) {
                throw new SafeTensorsException.BadInput(src, "two tensors are called " + SafeTensorsHeader.brief(t.name()));
            }
            if (t.dtype() != Dtype.F32) {
                throw new SafeTensorsException.UnsupportedDtype(src, "tensor " + SafeTensorsHeader.brief(t.name())
                        + " has dtype " + t.dtype() + "; the writer writes F32 only");
            }
        }
        List<NamedTensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(t -> t.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return sorted;
    }

    /** Whether {@code s} encodes to UTF-8 without replacement (no unpaired surrogates). */
    static boolean validUnicode(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    private static void writeFloats(FileChannel ch, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(data.length, CHUNK_FLOATS)).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < data.length;) {
            int n = Math.min(CHUNK_FLOATS, data.length - done);
            buf.clear();
            buf.asFloatBuffer().put(data, done, n);
            buf.limit(4 * n);
            AtomicFiles.writeFully(ch, buf);
            done += n;
        }
    }
}
