package org.rlhf4j.feedback.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.DatasetFormatException;

/**
 * Prepared candidates, so people can rank the outputs of any model: a JSONL file of
 * {@code {"prompt": "...", "completions": ["...", "..."]}}, one prompt per line, at least one completion
 * each (the session needs two distinct ones to ask anything). A prompt on two lines is an error: its
 * candidates would be ambiguous. Malformed lines are reported by file, 1-based line and field.
 */
public final class CandidateFile implements CandidateSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> byPrompt;

    private CandidateFile(Map<String, List<String>> byPrompt) {
        this.byPrompt = byPrompt;
    }

    /** Reads {@code file} whole. */
    public static CandidateFile read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file.toString(), 1, null, "not UTF-8 text", e);
        }
        Map<String, List<String>> byPrompt = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = file.toString();
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DatasetFormatException(where, i + 1, null, "not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new DatasetFormatException(where, i + 1, null, "expected a JSON object {\"prompt\", \"completions\"}");
            }
            JsonNode p = node.get("prompt");
            if (p == null || !p.isTextual()) {
                throw new DatasetFormatException(where, i + 1, "prompt", "must be a string, got " + p);
            }
            if (byPrompt.containsKey(p.asText())) {
                throw new DatasetFormatException(where, i + 1, "prompt", "repeats an earlier line's prompt; give each prompt one line");
            }
            byPrompt.put(p.asText(), completions(node.get("completions"), where, i + 1));
        }
        return new CandidateFile(byPrompt);
    }

    /** The file's prompts, in file order: what is labelled when no prompt file is given. */
    public List<String> prompts() {
        return List.copyOf(byPrompt.keySet());
    }

    /** The completions of {@code prompt} in file order (the session keeps the first k usable), none if absent. */
    @Override
    public List<String> candidates(String prompt, int k) {
        return byPrompt.getOrDefault(prompt, List.of());
    }

    private static List<String> completions(JsonNode c, String where, int line) {
        if (c == null || !c.isArray() || c.isEmpty()) {
            throw new DatasetFormatException(where, line, "completions", "must be a non-empty array of strings, got " + c);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : c) {
            if (!e.isTextual()) {
                throw new DatasetFormatException(where, line, "completions", "must hold strings only, got " + e);
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }
}
