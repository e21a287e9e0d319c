package org.rlhf4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON settings of this package: trees only (never binding to a class named by the input),
 * duplicate keys and trailing content rejected, pretty output for the files people read.
 */
final class Json {

    /** Strict reader/writer of JSON trees. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Compact writer, for safetensors headers. */
    static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    /** Pretty JSON bytes with a final newline. */
    static byte[] pretty(JsonNode node) throws IOException {
        return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code file} as one JSON object.
     *
     * @throws CheckpointException.BadJson if it is not valid JSON or not an object
     */
    static ObjectNode readObject(Path file) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readAllBytes(file));
        } catch (StreamReadException | DatabindException e) {
            throw new CheckpointException.BadJson(file.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CheckpointException.BadJson(file.toString(), "not a JSON object");
        }
        return (ObjectNode) node;
    }
}
