package org.rlhf4j.feedback.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.rlhf4j.data.DatasetFormatException;

/**
 * Prompts to label, from a file of one of two kinds. JSONL (the name ends in {@code .jsonl} or
 * {@code .json}, or the first non-blank line starts with <code>{</code>): one object per line with a
 * non-empty string field {@code "prompt"} (other fields are ignored, so an SFT or preference file serves).
 * Otherwise plain text: one prompt per line. Blank lines are skipped in both; a prompt that repeats is kept
 * once, where it first appears. The file must be UTF-8.
 */
public final class PromptFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptFile() {
    }

    /** The prompts of {@code file}, in order, without repeats. */
    public static List<String> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file.toString(), 1, null, "not UTF-8 text", e);
        }
        boolean jsonl = isJsonl(file, lines);
        LinkedHashSet<String> prompts = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            prompts.add(jsonl ? prompt(line, file, i + 1) : stripBom(line, i));
        }
        return new ArrayList<>(prompts);
    }

    private static boolean isJsonl(Path file, List<String> lines) {
        String name = file.getFileName().toString();
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return true;
        }
        return lines.stream().filter(l -> !l.isBlank()).findFirst()
                .map(l -> stripBom(l, 0).stripLeading().startsWith("{")).orElse(false);
    }

    private static String prompt(String line, Path file, int number) {
        JsonNode node;
        try {
            node = JSON.readTree(stripBom(line, number - 1));
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file.toString(), number, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DatasetFormatException(file.toString(), number, null, "expected a JSON object with a \"prompt\"");
        }
        JsonNode p = node.get("prompt");
        if (p == null || !p.isTextual() || p.asText().isEmpty()) {
            throw new DatasetFormatException(file.toString(), number, "prompt", "must be a non-empty string, got "
                    + (p == null ? "nothing" : p.toString()));
        }
        return p.asText();
    }

    private static String stripBom(String line, int index) {
        return index == 0 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
