package org.rlhf4j.data.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A character-level tokenizer, as nanoGPT's {@code data/shakespeare_char/prepare.py}: the vocabulary
 * is the sorted distinct characters of a corpus ({@code chars = sorted(list(set(data)))}) and id i is
 * the i-th of them. A character is a Unicode code point, as in Python, so an emoji outside the
 * Basic Multilingual Plane is one token, not two UTF-16 halves; sorting by code point is Python's order.
 *
 * <p>There are no special tokens and no unknown-character id: encoding a character the corpus did not
 * contain throws {@link UnknownCharacterException} naming it and its position.
 *
 * <p>JSON form: {@code {"type": "char", "code_points": [10, 32, 33, ...]}}.
 */
public final class CharTokenizer implements Tokenizer {

    /** The {@code "type"} of the JSON form. */
    public static final String TYPE = "char";

    /** The vocabulary: distinct code points in increasing order; the id of a character is its index. */
    private final int[] codePoints;

    private CharTokenizer(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
    }

    /** The tokenizer whose vocabulary is the distinct characters of {@code corpus}. */
    public static CharTokenizer fromCorpus(String corpus) {
        int[] distinct = corpus.codePoints().sorted().distinct().toArray();
        if (distinct.length == 0) {
            throw new IllegalArgumentException("CharTokenizer: the corpus is empty, so there is no vocabulary");
        }
        return new CharTokenizer(distinct);
    }

    /** The tokenizer with exactly these characters, given as code points in any order without repeats. */
    public static CharTokenizer ofCodePoints(int... codePoints) {
        int[] sorted = codePoints.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (!Character.isValidCodePoint(sorted[i])) {
                throw new IllegalArgumentException("CharTokenizer: " + sorted[i] + " is not a Unicode code point");
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("CharTokenizer: " + UnknownCharacterException.describe(sorted[i])
                        + " is listed twice");
            }
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("CharTokenizer: the vocabulary is empty");
        }
        return new CharTokenizer(sorted);
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                throw new UnknownCharacterException(cp, i, n, codePoints.length);
            }
            ids[n++] = id;
            i += Character.charCount(cp);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= codePoints.length) {
                throw new IllegalArgumentException("CharTokenizer.decode: id " + id + " at position " + i
                        + " is outside the vocabulary [0, " + codePoints.length + ")");
            }
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public OptionalInt eotId() {
        return OptionalInt.empty();
    }

    /** The character of id {@code id}, as a code point. */
    public int codePointOf(int id) {
        return codePoints[id];
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        ArrayNode cps = json.putArray("code_points");
        for (int cp : codePoints) {
            cps.add(cp);
        }
        return json;
    }

    /** The tokenizer of a {@link #toJson()} object; the code points must be distinct. */
    public static CharTokenizer fromJson(JsonNode json) {
        JsonNode cps = json.get("code_points");
        if (cps == null || !cps.isArray()) {
            throw new TokenizerFormatException("char tokenizer JSON: \"code_points\" must be an array of integers");
        }
        int[] values = new int[cps.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = cps.get(i);
            if (!v.isInt()) {
                throw new TokenizerFormatException("char tokenizer JSON: code_points[" + i + "] is " + v
                        + ", not an integer");
            }
            values[i] = v.intValue();
        }
        try {
            return ofCodePoints(values);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException("char tokenizer JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharTokenizer && Arrays.equals(codePoints, ((CharTokenizer) o).codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "CharTokenizer(" + codePoints.length + " characters)";
    }
}
