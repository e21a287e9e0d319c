package org.rlhf4j.feedback.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.JsonlLines;

/**
 * Prompts to label, from a file of one of two kinds. JSONL (the name ends in {@code .jsonl} or
 * {@code .json}, or the first non-blank line starts with <code>{</code>): one object per line with a
 * non-empty string field {@code "prompt"} (other fields are ignored, so an SFT or preference file serves).
 * Otherwise plain text: one prompt per line. Lines are read by {@link JsonlLines} (strict UTF-8, CRLF and a
 * byte-order mark accepted, at most 1 MiB a line); blank lines are skipped; a prompt that repeats is kept
 * once, where it first appears. A bad line is a {@link DatasetFormatException} naming file and line.
 */
public final class PromptFile {

    /** The longest line read, in bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptFile() {
    }

    /** The prompts of {@code file}, in order, without repeats. */
    public static List<String> read(Path file) throws IOException {
        String name = file.toString();
        List<String> lines = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            JsonlLines reader = new JsonlLines(in, MAX_LINE_BYTES);
            while (reader.next()) {
                if (reader.tooLong()) {
                    throw new DatasetFormatException(name, reader.number(), null, "the line is longer than "
                            + MAX_LINE_BYTES + " bytes");
                }
                if (!reader.blank()) {
                    lines.add(text(reader, name));
                    numbers.add(reader.number());
                }
            }
        }
        String fileName = file.getFileName().toString();
        boolean jsonl = fileName.endsWith(".jsonl") || fileName.endsWith(".json")
                || (!lines.isEmpty() && lines.get(0).stripLeading().startsWith("{"));
        LinkedHashSet<String> prompts = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            prompts.add(jsonl ? prompt(lines.get(i), name, numbers.get(i)) : lines.get(i));
        }
        return new ArrayList<>(prompts);
    }

    private static String text(JsonlLines reader, String name) {
        try {
            return reader.text();
        } catch (JsonlLines.InvalidUtf8 e) {
            throw new DatasetFormatException(name, reader.number(), null, String.format(
                    "invalid UTF-8: byte 0x%02X at column %d", e.value(), e.column()));
        }
    }

    private static String prompt(String line, String file, long number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file, number, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DatasetFormatException(file, number, null, "expected a JSON object with a \"prompt\"");
        }
        JsonNode p = node.get("prompt");
        if (p == null || !p.isTextual() || p.asText().isEmpty()) {
            throw new DatasetFormatException(file, number, "prompt", "must be a non-empty string, got "
                    + (p == null ? "nothing" : p.toString()));
        }
        return p.asText();
    }
}
