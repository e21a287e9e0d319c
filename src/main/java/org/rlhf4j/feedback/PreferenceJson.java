package org.rlhf4j.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.data.DatasetFormatException;

/**
 * One {@link Preference} as one line of JSON, the three forms of docs/feedback.md:
 * <pre>
 *   pairwise  {"prompt": "...", "chosen": "...", "rejected": "..."}           (TRL's format)
 *   ranked    {"prompt": "...", "completions": ["a", "b", "c"], "ranking": [2, 0, 1]}   (best first)
 *   rated     {"prompt": "...", "completion": "...", "rating": 4}
 * </pre>
 * The form is told by its own fields: {@code chosen}/{@code rejected}, {@code completions}/{@code ranking},
 * or {@code completion}/{@code rating}; once one of a form's fields is present, the others of that form
 * are required, and fields of two forms on one line are an error (which did the labeller mean?). The
 * prompt is optional in every form (absent reads as {@code ""}, as in TRL's pairwise data where the
 * prompt is inside chosen and rejected); when present it must be a string, possibly empty. Any other
 * field ({@code "id"}, {@code "annotator"}, ...) is ignored. Completions, chosen and rejected are
 * non-empty strings; a ranking is a permutation of {@code 0..K-1} with K >= 2; a rating is a finite
 * number. Strings must be text: a JSON escape of half a UTF-16 surrogate pair ({@code "\ud800"}) is refused.
 */
public final class PreferenceJson {

    /** Duplicate keys, trailing content, NaN and Infinity are all errors, as in {@code SftReader}. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private static final String FORMS = "expected one of the preference forms {\"chosen\", \"rejected\"}, "
            + "{\"completions\", \"ranking\"} or {\"completion\", \"rating\"}";

    private PreferenceJson() {
    }

    /**
     * The record on one line of text; {@code file} and {@code line} only name the place in errors.
     *
     * @throws DatasetFormatException naming the field and what is wrong with it; nothing else is thrown
     */
    public static Preference parse(String text, String file, long line) {
        return fromObject(object(text, file, line), file, line);
    }

    /**
     * K completions waiting for a ranking, on one line: {@code {"prompt", "completions": [...]}} (the prompt
     * optional, as everywhere), or any line of the pairwise or ranked form, whose completions are taken
     * ({@code [chosen, rejected]}, or {@code completions}) and whose verdict is ignored: for re-labelling.
     *
     * @throws DatasetFormatException naming the field and what is wrong with it; nothing else is thrown
     */
    public static Candidates parseCandidates(String text, String file, long line) {
        JsonNode node = object(text, file, line);
        boolean judged = node.has("chosen") || node.has("rejected") || node.has("ranking")
                || node.has("completion") || node.has("rating");
        if (judged) {
            Preference p = fromObject(node, file, line);
            if (p instanceof PairwisePreference pw) {
                return new Candidates(pw.prompt(), List.of(pw.chosen(), pw.rejected()));
            }
            if (p instanceof RankedPreference r) {
                return new Candidates(r.prompt(), r.completions());
            }
            throw new DatasetFormatException(file, line, "completion", "a rated line holds one completion; "
                    + "ranking needs {\"prompt\", \"completions\": [at least 2]}");
        }
        if (!node.has("completions")) {
            throw new DatasetFormatException(file, line, "completions", "missing; expected {\"prompt\", "
                    + "\"completions\": [...]} or a pairwise or ranked line");
        }
        Fields f = new Fields(node, file, line);
        String prompt = node.has("prompt") ? f.string("prompt", true) : "";
        return new Candidates(prompt, f.completions());
    }

    /** The line as a JSON object, or the error that says why it is not one. */
    private static JsonNode object(String text, String file, long line) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new DatasetFormatException(file, line, null, FORMS + ", got "
                    + (node == null || node.isMissingNode() ? "nothing" : typeOf(node)));
        }
        return node;
    }

    private static Preference fromObject(JsonNode node, String file, long line) {
        Fields f = new Fields(node, file, line);
        boolean pairwise = node.has("chosen") || node.has("rejected");
        boolean ranked = node.has("completions") || node.has("ranking");
        boolean rated = node.has("completion") || node.has("rating");
        int forms = (pairwise ? 1 : 0) + (ranked ? 1 : 0) + (rated ? 1 : 0);
        if (forms == 0) {
            throw new DatasetFormatException(file, line, null, FORMS + "; this object has " + fieldNames(node));
        }
        if (forms > 1) {
            throw new DatasetFormatException(file, line, null, "fields of more than one preference form on one line "
                    + fieldNames(node) + "; " + FORMS);
        }
        String prompt = node.has("prompt") ? f.string("prompt", true) : "";
        if (pairwise) {
            return new PairwisePreference(prompt, f.string("chosen", false), f.string("rejected", false));
        }
        if (ranked) {
            List<String> completions = f.completions();
            return new RankedPreference(prompt, completions, f.ranking(completions.size()));
        }
        return new RatedPreference(prompt, f.string("completion", false), f.rating());
    }

    /**
     * The record as one line of compact JSON, without a line end; {@link #parse} reads it back equal.
     * Newlines and other control characters inside strings are escaped, so the line is one line.
     *
     * @throws IllegalArgumentException a string holds an unpaired surrogate (not text, not writable as UTF-8)
     */
    public static String format(Preference p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt", p.prompt());
        if (p instanceof PairwisePreference pw) {
            o.put("chosen", pw.chosen());
            o.put("rejected", pw.rejected());
        } else if (p instanceof RankedPreference r) {
            ArrayNode completions = o.putArray("completions");
            r.completions().forEach(completions::add);
            ArrayNode ranking = o.putArray("ranking");
            r.ranking().forEach(ranking::add);
        } else if (p instanceof RatedPreference r) {
            o.put("completion", r.completion());
            o.put("rating", r.rating());
        }
        checkText(p);
        try {
            return JSON.writeValueAsString(o); // escapes '\n' and control characters, so one line
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers did not serialise", e);
        }
    }

    /** Refuses strings that are not text (an unpaired surrogate): they would not survive UTF-8. */
    private static void checkText(Preference p) {
        List<String> all = new ArrayList<>();
        all.add(p.prompt());
        if (p instanceof PairwisePreference pw) {
            all.add(pw.chosen());
            all.add(pw.rejected());
        } else if (p instanceof RankedPreference r) {
            all.addAll(r.completions());
        } else if (p instanceof RatedPreference r) {
            all.add(r.completion());
        }
        for (String s : all) {
            int bad = unpairedSurrogate(s);
            if (bad >= 0) {
                throw new IllegalArgumentException(String.format("unpaired surrogate \\u%04X at character %d: "
                        + "not text, and not writable as UTF-8", (int) s.charAt(bad), bad));
            }
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String typeOf(JsonNode v) {
        return v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(n -> names.add("\"" + abbreviate(n) + "\""));
        return names.isEmpty() ? "no fields" : names.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Typed access to the fields of one line, each failure naming its field. */
    private record Fields(JsonNode node, String file, long line) {

        DatasetFormatException error(String field, String problem) {
            return new DatasetFormatException(file, line, field, problem);
        }

        JsonNode required(String field) {
            JsonNode v = node.get(field);
            if (v == null) {
                throw error(field, "missing; " + FORMS);
            }
            return v;
        }

        String string(String field, boolean emptyAllowed) {
            return text(field, required(field), emptyAllowed);
        }

        String text(String field, JsonNode v, boolean emptyAllowed) {
            if (!v.isTextual()) {
                throw error(field, "must be a " + (emptyAllowed ? "" : "non-empty ") + "string, got " + typeOf(v)
                        + " " + abbreviate(v.toString()));
            }
            String s = v.asText();
            if (!emptyAllowed && s.isEmpty()) {
                throw error(field, "must be a non-empty string, got an empty string");
            }
            int bad = unpairedSurrogate(s);
            if (bad >= 0) {
                throw error(field, String.format("unpaired surrogate \\u%04X at character %d: not text (a JSON "
                        + "escape of half a UTF-16 pair)", (int) s.charAt(bad), bad));
            }
            return s;
        }

        List<String> completions() {
            JsonNode v = required("completions");
            if (!v.isArray()) {
                throw error("completions", "must be an array of at least 2 strings, got " + typeOf(v) + " "
                        + abbreviate(v.toString()));
            }
            if (v.size() < 2) {
                throw error("completions", "must hold at least 2 completions to rank, got " + v.size());
            }
            List<String> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                out.add(text("completions[" + i + "]", v.get(i), false));
            }
            return out;
        }

        List<Integer> ranking(int k) {
            JsonNode v = required("ranking");
            if (!v.isArray()) {
                throw error("ranking", "must be an array of completion indices, best first, got " + typeOf(v)
                        + " " + abbreviate(v.toString()));
            }
            if (v.size() != k) {
                throw error("ranking", "has " + v.size() + " entries for " + k + " completions; it must list "
                        + "every completion index once, best first");
            }
            List<Integer> out = new ArrayList<>(k);
            boolean[] seen = new boolean[k];
            for (int i = 0; i < k; i++) {
                JsonNode r = v.get(i);
                if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                    throw error("ranking[" + i + "]", "must be an integer index into completions, got "
                            + typeOf(r) + " " + abbreviate(r.toString()));
                }
                int index = r.intValue();
                if (index < 0 || index >= k) {
                    throw error("ranking[" + i + "]", "index " + index + " is outside 0.." + (k - 1));
                }
                if (seen[index]) {
                    throw error("ranking[" + i + "]", "index " + index + " appears twice; a ranking is a "
                            + "permutation of 0.." + (k - 1) + " (no ties)");
                }
                seen[index] = true;
                out.add(index);
            }
            return out;
        }

        double rating() {
            JsonNode v = required("rating");
            if (!v.isNumber()) {
                throw error("rating", "must be a number, got " + typeOf(v) + " " + abbreviate(v.toString()));
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                throw error("rating", "must be a finite number, got one beyond the range of a double");
            }
            return d;
        }
    }
}
