package org.rlhf4j.data.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations are immutable and safe to share between threads.
 *
 * <p>{@link #encode(String)} treats all of its input as ordinary text, as tiktoken's
 * {@code encode_ordinary} does: text read from users or data files can never smuggle in a control
 * token. {@link #encode(String, boolean)} with {@code allowSpecial} also recognises the tokenizer's
 * special tokens (GPT-2's {@code <|endoftext|>}).
 *
 * <p>A tokenizer is saved beside a model as JSON ({@link #toJson()}) and read back with
 * {@link #fromJson(JsonNode)}, which picks the implementation from the {@code "type"} field out of a
 * fixed list; no class name is ever taken from a file.
 */
public interface Tokenizer {

    /** Token ids of {@code text}, all of it treated as ordinary text. */
    int[] encode(String text);

    /**
     * Token ids of {@code text}; with {@code allowSpecial}, the text of a special token becomes its id.
     * Tokenizers without special tokens ignore the flag.
     */
    default int[] encode(String text, boolean allowSpecial) {
        return encode(text);
    }

    /**
     * The text of {@code ids}. Throws {@link IllegalArgumentException} naming the first id outside
     * {@code [0, vocabSize())} and its position.
     */
    String decode(int[] ids);

    /** The number of distinct ids: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The end-of-text id, if this tokenizer has one (GPT-2: 50256); documents are joined by it. */
    OptionalInt eotId();

    /** The JSON form: an object whose {@code "type"} names the implementation. */
    ObjectNode toJson();

    /** The tokenizer that {@code json} (a {@link #toJson()} result) describes. */
    static Tokenizer fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new TokenizerFormatException("tokenizer JSON: expected an object, got "
                    + (json == null ? "nothing" : json.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        JsonNode type = json.get("type");
        String name = type != null && type.isTextual() ? type.asText() : String.valueOf(type);
        switch (name) {
            case CharTokenizer.TYPE:
                return CharTokenizer.fromJson(json);
            case Gpt2Tokenizer.TYPE:
                return Gpt2Tokenizer.fromJson(json);
            default:
                throw new TokenizerFormatException("tokenizer JSON: unknown \"type\" " + name
                        + "; expected \"" + CharTokenizer.TYPE + "\" or \"" + Gpt2Tokenizer.TYPE + "\"");
        }
    }

    /** {@link #fromJson(JsonNode)} on JSON text. */
    static Tokenizer fromJson(String json) {
        try {
            return fromJson(new ObjectMapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException("tokenizer JSON: not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
