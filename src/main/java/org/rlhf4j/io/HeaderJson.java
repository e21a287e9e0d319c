package org.rlhf4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Header bytes to a JSON tree: strict UTF-8 decoding, then a token-by-token walk over Jackson's
 * streaming parser that builds plain nodes (never Java objects of a type named by the input). A repeated
 * key at any depth is caught by Jackson's {@code STRICT_DUPLICATE_DETECTION}; Jackson reports it as a
 * generic parse error, recognised here by its message ("Duplicate field ...", pinned by a test) and
 * rethrown as {@link SafeTensorsException.DuplicateKey}. Parser limits (nesting depth 64, numbers of at
 * most 100 digits, strings and names no longer than the header, arrays of at most 1024 elements) bound
 * what hostile input can cost: the tree takes memory proportional to the header, which the header cap
 * bounds.
 */
final class HeaderJson {

    private static final int MAX_DEPTH = 64;
    /** No valid header has a longer array (shapes are short, data_offsets has two); bounds the tree. */
    static final int MAX_ARRAY_LENGTH = 1024;

    private HeaderJson() {
    }

    /** Parses {@code bytes} into a JSON tree; exactly one value, then only whitespace. */
    static JsonNode parse(String file, byte[] bytes) throws SafeTensorsException {
        String text = utf8(file, bytes);
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(100)
                        .maxStringLength(Math.max(bytes.length, 1))
                        .maxNameLength(Math.max(bytes.length, 1))
                        .build())
                .build();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SafeTensorsException.InvalidJson(file, "header is empty (no JSON value)");
            }
            JsonNode root = value(file, p, first);
            if (p.nextToken() != null) {
                throw new SafeTensorsException.InvalidJson(file, "header has content after its JSON value at "
                        + p.currentLocation().getCharOffset());
            }
            return root;
        } catch (StreamReadException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new SafeTensorsException.DuplicateKey(file, "header repeats a key: " + cut(e.getOriginalMessage()));
            }
            throw new SafeTensorsException.InvalidJson(file, "header is not valid JSON: " + cut(e.getOriginalMessage()));
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafeTensorsException.InvalidJson(file, "header is not valid JSON: " + cut(e.getMessage()));
        }
    }

    /** A parser message cut to 200 characters: it may quote the file. */
    private static String cut(String message) {
        return message == null || message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static String utf8(String file, byte[] bytes) throws SafeTensorsException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException.InvalidUtf8(file, "header is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** The value that starts at {@code token}; recursion depth is bounded by {@link #MAX_DEPTH}. */
    private static JsonNode value(String file, JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String key = p.currentName();
                    object.set(key, value(file, p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (array.size() == MAX_ARRAY_LENGTH) {
                        throw new SafeTensorsException.InvalidJson(file, "header has an array longer than "
                                + MAX_ARRAY_LENGTH + " elements; no valid header needs one");
                    }
                    array.add(value(file, p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? nodes.numberNode(p.getBigIntegerValue()) : nodes.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new SafeTensorsException.InvalidJson(file, "unexpected JSON token " + token);
        }
    }
}
