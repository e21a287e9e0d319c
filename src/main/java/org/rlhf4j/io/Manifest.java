package org.rlhf4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code manifest.json}, the last file written into it:
 * <pre>
 * {"format": "rlhf4j-checkpoint", "version": 1,
 *  "files": {"model.safetensors": {"bytes": 1234, "sha256": "ab..."}, "config.json": {...}, ...}}
 * </pre>
 * It lists every file of the checkpoint with its size and, unless checksums were switched off, its
 * SHA-256. File names in it are only compared with the fixed names a checkpoint may hold; they are
 * never turned into paths.
 */
final class Manifest {

    static final String FILE = "manifest.json";
    static final String FORMAT = "rlhf4j-checkpoint";
    static final int VERSION = 1;

    /** One file's record; {@code sha256} is null when checksums were not computed. */
    record Entry(long bytes, String sha256) { }

    private Manifest() {
    }

    /** The record of {@code file} as it is on disk now. */
    static Entry describe(Path file, boolean checksum) throws IOException {
        return new Entry(Files.size(file), checksum ? sha256(file) : null);
    }

    /** The manifest JSON for these files, in the given order. */
    static ObjectNode toJson(Map<String, Entry> files) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode list = root.putObject("files");
        files.forEach((name, e) -> {
            ObjectNode o = list.putObject(name);
            o.put("bytes", e.bytes());
            if (e.sha256() != null) {
                o.put("sha256", e.sha256());
            }
        });
        return root;
    }

    /**
     * Reads {@code dir}'s manifest. Every file name in it must be one of {@code allowed}; the result
     * maps each to its record, keyed by the matching constant from {@code allowed}.
     */
    static Map<String, Entry> read(Path dir, List<String> allowed) throws IOException {
        Path path = dir.resolve(FILE);
        String where = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException.Incomplete(dir.toString(), "no " + FILE
                    + ": not a finished checkpoint (the manifest is written last)");
        }
        ObjectNode root = Json.readObject(path);
        if (!FORMAT.equals(root.path("format").textValue()) || !root.path("version").isInt()
                || root.path("version").intValue() != VERSION) {
            throw new CheckpointException.BadManifest(where, "expected format \"" + FORMAT + "\" version " + VERSION
                    + ", found format " + root.path("format") + " version " + root.path("version"));
        }
        JsonNode files = root.path("files");
        if (!files.isObject()) {
            throw new CheckpointException.BadManifest(where, "\"files\" is not an object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : files.properties()) {
            String name = allowed.stream().filter(f.getKey()::equals).findFirst()
                    .orElseThrow(() -> new CheckpointException.BadManifest(where, "lists a file a checkpoint does not hold: "
                            + SafeTensorsHeader.brief(f.getKey())));
            JsonNode bytes = f.getValue().path("bytes");
            JsonNode sha = f.getValue().path("sha256");
            if (!bytes.isIntegralNumber() || !bytes.canConvertToLong() || bytes.longValue() < 0
                    || !(sha.isMissingNode() || sha.isTextual() && sha.textValue().matches("[0-9a-f]{64}"))) {
                throw new CheckpointException.BadManifest(where, "bad record for " + name + ": " + f.getValue());
            }
            entries.put(name, new Entry(bytes.longValue(), sha.isTextual() ? sha.textValue() : null));
        }
        return entries;
    }

    /** Checks {@code file} against its record: present, same size, and (if asked and recorded) same SHA-256. */
    static void verify(Path file, Entry expected, boolean checksums) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException.Incomplete(file.toString(), "listed in the manifest but missing");
        }
        long size = Files.size(file);
        if (size != expected.bytes()) {
            throw new CheckpointException.ChecksumMismatch(file.toString(), "has " + size + " bytes, the manifest recorded "
                    + expected.bytes());
        }
        if (checksums && expected.sha256() != null) {
            String actual = sha256(file);
            if (!actual.equals(expected.sha256())) {
                throw new CheckpointException.ChecksumMismatch(file.toString(), "SHA-256 is " + actual
                        + ", the manifest recorded " + expected.sha256());
            }
        }
    }

    /** Lower-case hex SHA-256 of a file's bytes. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
