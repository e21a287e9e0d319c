package org.rlhf4j.rlhf.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.data.DatasetFormatException;

/**
 * Prompts for PPO: read from a file, or the bundled default (32 short sentence openings in Moby-Dick's
 * vocabulary, so a character model pretrained on the bundled corpus can encode them), and cut into
 * iteration batches. A file is JSONL when its first non-blank line starts with '{' (each line then
 * needs a string {@code "prompt"}, TRL's prompt-dataset field), else plain text with one prompt per
 * non-blank line.
 */
public final class PpoPrompts {

    static final String BUNDLED = "/org/rlhf4j/rlhf/ppo/prompts.txt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PpoPrompts() {
    }

    /** The bundled prompts. */
    public static List<String> bundled() {
        try (InputStream in = PpoPrompts.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled prompts " + BUNDLED + " are missing from the jar");
            }
            return lines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The prompts of {@code file}: JSONL ({@code {"prompt": ...}} per line) or text (a prompt per line).
     *
     * @throws DatasetFormatException naming the file, 1-based line and field of a bad line (bytes that are
     *                                not UTF-8 included), or an empty file
     */
    public static List<String> read(Path file) throws IOException {
        String text = utf8(Files.readAllBytes(file), file.toString());
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        boolean jsonl = false;
        for (String l : lines) {
            if (!l.isBlank()) {
                jsonl = l.stripLeading().startsWith("{");
                break;
            }
        }
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) {
                continue;
            }
            if (!jsonl) {
                out.add(l);
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(l);
            } catch (IOException e) {
                throw new DatasetFormatException(file.toString(), i + 1, null, "not valid JSON");
            }
            if (o == null || !o.isObject() || !o.path("prompt").isTextual() || o.get("prompt").asText().isEmpty()) {
                throw new DatasetFormatException(file.toString(), i + 1, "prompt", "needs a non-empty string \"prompt\"");
            }
            out.add(o.get("prompt").asText());
        }
        if (out.isEmpty()) {
            throw new DatasetFormatException(file.toString(), 1, null, "holds no prompts");
        }
        return out;
    }

    /**
     * The prompts of iteration {@code iteration} (0-based): {@code size} prompts taken cyclically from
     * {@code all}, starting where the previous iteration stopped. A function of the iteration alone, so a
     * resumed run sees the prompts an uninterrupted one would.
     */
    public static List<String> batch(List<String> all, int iteration, int size) {
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no prompts to draw from");
        }
        List<String> out = new ArrayList<>(size);
        long start = (long) iteration * size;
        for (int i = 0; i < size; i++) {
            out.add(all.get((int) ((start + i) % all.size())));
        }
        return out;
    }

    /** Strict UTF-8: a malformed byte is a DatasetFormatException naming its line (the JDK says "Input length = 1"). */
    private static String utf8(byte[] bytes, String file) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position(), line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new DatasetFormatException(file, line, null,
                    String.format(Locale.ROOT, "invalid UTF-8: byte 0x%02X at byte offset %d", bytes[at] & 0xFF, at));
        }
        return out.flip().toString();
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\r?\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }
}
