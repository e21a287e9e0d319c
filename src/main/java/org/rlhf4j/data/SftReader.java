package org.rlhf4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads supervised fine-tuning data: JSONL, one object {@code {"prompt": "...", "completion": "..."}}
 * per line (other fields are ignored). Each line is checked, and a bad one is a
 * {@link DatasetFormatException} naming the file, its 1-based line and the field:
 * <ul>
 *   <li>not valid UTF-8, or longer than {@link Options#maxLineBytes()} bytes (the line as a whole);</li>
 *   <li>not valid JSON, not an object, a repeated key, or more after the object (the line);</li>
 *   <li>{@code prompt} missing or not a string; {@code completion} missing, not a string, or empty;</li>
 *   <li>a string holding an unpaired surrogate ({@code "\ud800"} is valid JSON but not text).</li>
 * </ul>
 * Blank lines are skipped without comment; a UTF-8 byte-order mark before line 1 is dropped; a line may
 * end in CRLF. Strict mode throws at the first bad line. Lenient mode skips bad lines and keeps their
 * problems in {@link SftDataset#skipped()}, but still throws once more than
 * {@link Options#maxBadLines()} lines are bad: a file that is mostly garbage is not training data.
 */
public final class SftReader {

    /**
     * @param lenient      skip bad lines instead of throwing at the first
     * @param maxBadLines  in lenient mode, how many bad lines are skipped before the next one throws
     * @param maxLineBytes the longest line read, in bytes without the line end; longer is an error
     */
    public record Options(boolean lenient, int maxBadLines, int maxLineBytes) {

        /** The default longest line: 1 MiB. */
        public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

        public Options {
            if (maxBadLines < 0 || maxLineBytes < 1) {
                throw new IllegalArgumentException("maxBadLines must be >= 0 and maxLineBytes >= 1, got "
                        + maxBadLines + " and " + maxLineBytes);
            }
        }

        /** Throw at the first bad line. */
        public static Options strict() {
            return new Options(false, 0, DEFAULT_MAX_LINE_BYTES);
        }

        /** Skip up to {@code maxBadLines} bad lines; the next one throws. */
        public static Options lenient(int maxBadLines) {
            return new Options(true, maxBadLines, DEFAULT_MAX_LINE_BYTES);
        }

        public Options withMaxLineBytes(int bytes) {
            return new Options(lenient, maxBadLines, bytes);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private SftReader() {
    }

    /** Reads a JSONL file strictly. */
    public static SftDataset read(Path file) throws IOException {
        return read(file, Options.strict());
    }

    public static SftDataset read(Path file, Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), options);
        }
    }

    /** Reads JSONL from a stream; {@code name} stands for the file in error messages. */
    public static SftDataset read(InputStream in, String name, Options options) throws IOException {
        List<SftExample> examples = new ArrayList<>();
        List<DatasetFormatException> skipped = new ArrayList<>();
        JsonlLines lines = new JsonlLines(new BufferedInputStream(in), options.maxLineBytes());
        while (lines.next()) {
            long number = lines.number();
            try {
                SftExample example = parse(lines, name, number);
                if (example != null) {
                    examples.add(example);
                }
            } catch (DatasetFormatException e) {
                if (!options.lenient()) {
                    throw e;
                }
                if (skipped.size() >= options.maxBadLines()) {
                    throw new DatasetFormatException(name, number, e.field().orElse(null), "more than "
                            + options.maxBadLines() + " bad lines, the lenient limit; this one: " + e.problem(), e);
                }
                skipped.add(e);
            }
        }
        return new SftDataset(name, examples, skipped);
    }

    /** The example on the current line, or null for a blank line. */
    private static SftExample parse(JsonlLines lines, String name, long number) {
        if (lines.tooLong()) {
            throw new DatasetFormatException(name, number, null, "the line is longer than " + lines.maxBytes()
                    + " bytes (Options.maxLineBytes)");
        }
        if (lines.blank()) {
            return null;
        }
        String text;
        try {
            text = lines.text();
        } catch (JsonlLines.InvalidUtf8 e) {
            throw new DatasetFormatException(name, number, null, String.format("invalid UTF-8: byte 0x%02X at"
                    + " column %d", e.value(), e.column()));
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(name, number, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DatasetFormatException(name, number, null, "expected a JSON object {\"prompt\": ..., "
                    + "\"completion\": ...}, got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        String prompt = string(node, "prompt", name, number, true);
        String completion = string(node, "completion", name, number, false);
        return new SftExample(prompt, completion, name, number);
    }

    private static String string(JsonNode object, String field, String name, long number, boolean emptyAllowed) {
        JsonNode v = object.get(field);
        if (v == null) {
            throw new DatasetFormatException(name, number, field, "missing; each line needs \"prompt\" and \"completion\"");
        }
        if (!v.isTextual() || (!emptyAllowed && v.asText().isEmpty())) {
            String got = v.isTextual() ? "an empty string" : v.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(v.toString());
            throw new DatasetFormatException(name, number, field, "must be a " + (emptyAllowed ? "" : "non-empty ")
                    + "string, got " + got);
        }
        String s = v.asText();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new DatasetFormatException(name, number, field, String.format("unpaired surrogate \\u%04X at"
                        + " character %d: not text (a JSON escape of half a UTF-16 pair)", (int) c, i));
            }
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
