package org.rlhf4j.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.DatasetFormatException;

/**
 * The JSONL lines {@code rlhf4j score} reads, and {@code train-reward --reference} normalizes on: one
 * response to score, {@code {"prompt", "completion"}} or {@code {"text"}} (no prompt), or a pairwise line
 * {@code {"prompt", "chosen", "rejected"}} (both responses). Other fields are kept, to be written back
 * with the rewards.
 *
 * <p>Lines are read as preference files are ({@link PreferenceReader}: {@link org.rlhf4j.data.JsonlLines},
 * strict UTF-8, a cap on the line length, duplicate keys, trailing content, NaN and Infinity refused,
 * strict or lenient {@link PreferenceReader.Options}); a bad line is a {@link DatasetFormatException} that
 * names the file, the 1-based line and, when one is at fault, the field. A response may be empty only
 * when the prompt is not: the reward is then read at the prompt's last token; with neither there is no
 * token to read it at.
 */
public final class ScoringInput {

    /**
     * One line to score.
     *
     * @param line      the line's JSON object, to which the caller adds the rewards
     * @param prompts   the prompt of each response (1 or 2, the same prompt)
     * @param responses the response(s): one, or {@code [chosen, rejected]}
     */
    public record Item(ObjectNode line, List<String> prompts, List<String> responses) {
        public Item {
            prompts = List.copyOf(prompts);
            responses = List.copyOf(responses);
        }

        /** A pairwise line: two responses, reward = chosen - rejected. */
        public boolean pairwise() {
            return responses.size() == 2;
        }
    }

    /** What {@link #read} read: the items in file order and, in lenient mode, the bad lines skipped. */
    public record Data(String source, List<Item> items, List<DatasetFormatException> skipped) {
        public Data {
            items = List.copyOf(items);
            skipped = List.copyOf(skipped);
        }
    }

    private ScoringInput() {
    }

    public static Data read(Path file, PreferenceReader.Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), options);
        }
    }

    /** Reads from a stream; {@code name} stands for the file in error messages. */
    public static Data read(InputStream in, String name, PreferenceReader.Options options) throws IOException {
        List<DatasetFormatException> skipped = new ArrayList<>();
        List<Item> items = PreferenceReader.readLines(in, name, options, skipped, ScoringInput::parse);
        return new Data(name, items, skipped);
    }

    /** The item on one line of text; {@code file} and {@code line} only name the place in errors. */
    public static Item parse(String text, String file, long line) {
        JsonNode node;
        try {
            node = PreferenceJson.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode o)) {
            throw new DatasetFormatException(file, line, null, "expected a JSON object {\"prompt\", \"completion\"}, "
                    + "{\"text\"} or {\"prompt\", \"chosen\", \"rejected\"}, got "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        String prompt = o.has("prompt") ? string(o, "prompt", file, line) : "";
        if (o.has("chosen") || o.has("rejected")) {
            if (o.has("completion") || o.has("text")) {
                throw new DatasetFormatException(file, line, null, "a pairwise line (chosen, rejected) with a "
                        + "\"completion\" or \"text\" too: give one form per line");
            }
            return new Item(o, List.of(prompt, prompt), List.of(response(o, "chosen", prompt, file, line),
                    response(o, "rejected", prompt, file, line)));
        }
        if (o.has("completion") && o.has("text")) {
            throw new DatasetFormatException(file, line, null, "both \"completion\" and \"text\": give one");
        }
        String field = o.has("completion") ? "completion" : o.has("text") ? "text" : null;
        if (field == null) {
            throw new DatasetFormatException(file, line, null, "needs \"completion\" (with an optional \"prompt\"), "
                    + "\"text\", or \"chosen\" and \"rejected\"");
        }
        return new Item(o, List.of(prompt), List.of(response(o, field, prompt, file, line)));
    }

    private static String response(ObjectNode o, String field, String prompt, String file, long line) {
        String r = string(o, field, file, line);
        if (r.isEmpty() && prompt.isEmpty()) {
            throw new DatasetFormatException(file, line, field, "empty, and no prompt: an empty response is scored "
                    + "at the prompt's last token, and there is none");
        }
        return r;
    }

    private static String string(ObjectNode o, String field, String file, long line) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new DatasetFormatException(file, line, field, "must be a string, got "
                    + (v == null ? "nothing" : v.isNull() ? "null" : v.getNodeType().toString().toLowerCase()));
        }
        int bad = PreferenceJson.unpairedSurrogate(v.textValue());
        if (bad >= 0) {
            throw new DatasetFormatException(file, line, field, "unpaired surrogate at character " + bad + ": not text");
        }
        return v.textValue();
    }
}
