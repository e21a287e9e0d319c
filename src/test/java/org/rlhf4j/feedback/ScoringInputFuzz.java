package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * ScoringInput's fuzz target for the campaign (FuzzCampaign): garbage, and mutations of valid files of its
 * three line forms ({@code {"prompt", "completion"}}, {@code {"text"}}, {@code {"prompt", "chosen", "rejected"}},
 * some with extra fields), read strictly or leniently with a 64-byte line cap. Only DatasetFormatException may
 * come out, and every item read is well formed: one response or two (pairwise, with a prompt for each), never
 * an empty response without a prompt.
 */
public final class ScoringInputFuzz {

    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\n", "\r\n", " ", "\\u", "\"prompt\"",
        "\"completion\"", "\"text\"", "\"chosen\"", "\"rejected\"", "\"score\"", "\"x\"", "\"\"", "0", "-1", "1e999",
        "null", "true", "NaN", "\\ud800", "\u00e9", "\uD83D\uDE00", "[\"a\"]", "{}"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoringInputFuzz() {
    }

    /** Runs {@code inputs} inputs: a quarter garbage, the rest mutated valid files. */
    public static Fuzzer.Result run(long seed, int inputs) {
        return Fuzzer.run("feedback.ScoringInput", seed, inputs, ScoringInputFuzz::input, ScoringInputFuzz::read,
                Fuzzer.declared(DatasetFormatException.class));
    }

    static byte[] input(Random r) {
        return Fuzzer.garbageOrMutated(r, TOKENS, ScoringInputFuzz::validFile);
    }

    static byte[] validFile(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(5); n > 0; n--) {
            ObjectNode o = JSON.createObjectNode();
            switch (r.nextInt(3)) {
                case 0 -> {
                    o.put("prompt", Fuzzer.text(r, 8));
                    o.put("completion", "c" + Fuzzer.text(r, 8));
                }
                case 1 -> o.put("text", "t" + Fuzzer.text(r, 8));
                default -> {
                    o.put("prompt", "p" + Fuzzer.text(r, 8));
                    o.put("chosen", Fuzzer.text(r, 8));
                    o.put("rejected", Fuzzer.text(r, 8));
                }
            }
            if (r.nextInt(4) == 0) {
                o.put("id", r.nextInt());
            }
            sb.append(o).append(r.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void read(byte[] bytes, Random r) throws Exception {
        PreferenceReader.Options options = r.nextBoolean() ? PreferenceReader.Options.strict()
                : PreferenceReader.Options.lenient(Integer.MAX_VALUE).withMaxLineBytes(64);
        ScoringInput.Data d = ScoringInput.read(new ByteArrayInputStream(bytes), "fuzz.jsonl", options);
        for (ScoringInput.Item item : d.items()) {
            int n = item.responses().size();
            if ((n != 1 && n != 2) || item.prompts().size() != n || item.pairwise() != item.line().has("chosen")) {
                throw new AssertionError("a malformed item was read: " + item);
            }
            for (int i = 0; i < n; i++) {
                if (item.responses().get(i).isEmpty() && item.prompts().get(i).isEmpty()) {
                    throw new AssertionError("an empty response without a prompt was read: " + item);
                }
            }
        }
    }
}
