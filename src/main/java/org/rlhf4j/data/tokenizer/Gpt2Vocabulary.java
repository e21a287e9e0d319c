package org.rlhf4j.data.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads GPT-2's two files and checks them. {@code encoder.json} maps each token, spelled with
 * {@link ByteLevel}'s characters, to its id (ids must be 0..V-1, each once). {@code vocab.bpe} holds a
 * {@code #version} line and then one merge rule per line, {@code "left right"}, in rank order; both
 * halves and their concatenation must be tokens. Every problem is a {@link TokenizerFormatException}
 * naming the file and the entry or line. The inline JSON form of {@link Gpt2Tokenizer#toJson()} holds the
 * same two tables and is checked the same way.
 */
final class Gpt2Vocabulary {

    /** Token spellings by id. */
    final String[] spelled;
    /** Merge rules by rank: ids of the left half, the right half and the merged token. */
    final int[] left;
    final int[] right;
    final int[] merged;

    private Gpt2Vocabulary(String[] spelled, int[] left, int[] right, int[] merged) {
        this.spelled = spelled;
        this.left = left;
        this.right = right;
        this.merged = merged;
    }

    /** The vocabulary from its parts: spellings by id and merge rules as pairs of spellings, by rank. */
    static Gpt2Vocabulary of(String[] spelled, List<String[]> merges, String source) {
        Map<String, Integer> ids = new HashMap<>(spelled.length * 2);
        for (int id = 0; id < spelled.length; id++) {
            if (spelled[id] == null) {
                throw new TokenizerFormatException(source + ": no token has id " + id + " (ids must be 0.."
                        + (spelled.length - 1) + ", each once)");
            }
            if (ByteLevel.bytesOf(spelled[id]) == null || spelled[id].isEmpty()) {
                throw new TokenizerFormatException(source + ": token " + id + " \"" + spelled[id]
                        + "\" is not spelled in GPT-2's byte alphabet (bytes_to_unicode)");
            }
            ids.put(spelled[id], id);
        }
        for (int b = 0; b < 256; b++) {
            if (!ids.containsKey(String.valueOf(ByteLevel.charOf((byte) b)))) {
                throw new TokenizerFormatException(source + ": byte " + b + " has no token, so some text could not be encoded");
            }
        }
        int m = merges.size();
        int[] left = new int[m];
        int[] right = new int[m];
        int[] merged = new int[m];
        for (int r = 0; r < m; r++) {
            String[] rule = merges.get(r);
            Integer a = ids.get(rule[0]);
            Integer b = ids.get(rule[1]);
            Integer ab = ids.get(rule[0] + rule[1]);
            String what = a == null ? rule[0] : b == null ? rule[1] : ab == null ? rule[0] + rule[1] : null;
            if (what != null) {
                throw new TokenizerFormatException(source + ": merge rule " + r + " (\"" + rule[0] + " " + rule[1]
                        + "\") names \"" + what + "\", which is not a token");
            }
            left[r] = a;
            right[r] = b;
            merged[r] = ab;
        }
        return new Gpt2Vocabulary(spelled, left, right, merged);
    }

    /** Reads {@code encoder.json} and {@code vocab.bpe}; the names are used in error messages only. */
    static Gpt2Vocabulary read(InputStream encoderJson, String encoderName, InputStream vocabBpe, String vocabName)
            throws IOException {
        String[] spelled = readEncoder(encoderJson, encoderName);
        List<String[]> merges = readMerges(vocabBpe, vocabName);
        return of(spelled, merges, encoderName + " + " + vocabName);
    }

    private static String[] readEncoder(InputStream in, String name) throws IOException {
        JsonFactory factory = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        Map<Integer, String> byId = new HashMap<>();
        int max = -1;
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenizerFormatException(name + ": expected a JSON object of token -> id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                        || p.getIntValue() < 0) {
                    throw new TokenizerFormatException(name + ": token \"" + token + "\" has id " + p.getText()
                            + "; ids are non-negative integers");
                }
                int id = p.getIntValue();
                String before = byId.put(id, token);
                if (before != null) {
                    throw new TokenizerFormatException(name + ": id " + id + " is given to both \"" + before
                            + "\" and \"" + token + "\"");
                }
                max = Math.max(max, id);
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new TokenizerFormatException(name + ": expected the end of the object at "
                        + p.currentLocation().offsetDescription());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerFormatException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        String[] spelled = new String[max + 1];
        byId.forEach((id, token) -> spelled[id] = token);
        return spelled;
    }

    private static List<String[]> readMerges(InputStream in, String name) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<String[]> merges = new ArrayList<>(50_000);
        String line;
        int number = 0;
        while ((line = readLine(reader, name, number + 1)) != null) {
            number++;
            if ((number == 1 && line.startsWith("#version")) || line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new TokenizerFormatException(name + " line " + number + ": expected \"left right\" (two tokens"
                        + " and one space), got \"" + line + "\"");
            }
            merges.add(new String[] {line.substring(0, space), line.substring(space + 1)});
        }
        return merges;
    }

    /** Adds the {@code "encoder"} object and the {@code "merges"} array of the inline JSON form. */
    void writeInline(ObjectNode json) {
        ObjectNode encoder = json.putObject("encoder");
        for (int id = 0; id < spelled.length; id++) {
            encoder.put(spelled[id], id);
        }
        ArrayNode merges = json.putArray("merges");
        for (int r = 0; r < left.length; r++) {
            merges.add(spelled[left[r]] + " " + spelled[right[r]]);
        }
    }

    /** The vocabulary of an inline JSON form, checked as the files are. */
    static Gpt2Vocabulary readInline(JsonNode json) {
        String source = "gpt2 tokenizer JSON";
        JsonNode encoder = json.get("encoder");
        JsonNode merges = json.get("merges");
        if (encoder == null || !encoder.isObject() || merges == null || !merges.isArray()) {
            throw new TokenizerFormatException(source + ": an inline tokenizer needs an \"encoder\" object"
                    + " and a \"merges\" array");
        }
        String[] spelled = new String[encoder.size()];
        for (Map.Entry<String, JsonNode> e : encoder.properties()) {
            int id = e.getValue().isInt() ? e.getValue().intValue() : -1;
            if (id < 0 || id >= spelled.length || spelled[id] != null) {
                throw new TokenizerFormatException(source + ": encoder entry \"" + e.getKey() + "\" has id "
                        + e.getValue() + "; ids must be 0.." + (spelled.length - 1) + ", each once");
            }
            spelled[id] = e.getKey();
        }
        List<String[]> rules = new ArrayList<>(merges.size());
        for (JsonNode m : merges) {
            String[] parts = m.asText("").split(" ", -1);
            if (!m.isTextual() || parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new TokenizerFormatException(source + ": merges[" + rules.size() + "] is " + m
                        + "; expected \"left right\"");
            }
            rules.add(parts);
        }
        return of(spelled, rules, source);
    }

    private static String readLine(BufferedReader reader, String name, int number) throws IOException {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(name + " line " + number + ": not valid UTF-8", e);
        }
    }
}
