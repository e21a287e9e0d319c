package org.rlhf4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * SftReader's fuzz target for the campaign (FuzzCampaign): garbage, and mutations of valid SFT JSONL
 * files, read strictly or leniently with a 64-byte line cap. Only DatasetFormatException may come out,
 * and a read that succeeds never holds an empty completion.
 */
public final class SftReaderFuzz {

    static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "\n", "\r\n", " ", "\\", "\\u", "\\ud800",
        "\\udc00", "null", "\"prompt\"", "\"completion\"", "\"\"", "1e999", "-0", "true", "\u00e9", "\ufeff",
        "12345678901234567890123456789", "\u0000", "\"\\u0000\""};
    private static final ObjectMapper JSON = new ObjectMapper();

    private SftReaderFuzz() {
    }

    /** Runs {@code inputs} inputs: a quarter garbage, the rest mutated valid files. */
    public static Fuzzer.Result run(long seed, int inputs) {
        return Fuzzer.run("data.SftReader", seed, inputs, SftReaderFuzz::input, SftReaderFuzz::read,
                Fuzzer.declared(DatasetFormatException.class));
    }

    static byte[] input(Random r) {
        return Fuzzer.garbageOrMutated(r, TOKENS, SftReaderFuzz::validFile);
    }

    static byte[] validFile(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(6); n > 0; n--) {
            ObjectNode o = JSON.createObjectNode();
            o.put("prompt", Fuzzer.text(r, 10));
            o.put("completion", "c" + Fuzzer.text(r, 10));
            if (r.nextInt(4) == 0) {
                o.put("extra", r.nextInt());
            }
            sb.append(o).append(r.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void read(byte[] bytes, Random r) throws Exception {
        SftReader.Options options = r.nextBoolean() ? SftReader.Options.strict()
                : SftReader.Options.lenient(Integer.MAX_VALUE).withMaxLineBytes(64);
        SftDataset d = SftReader.read(new ByteArrayInputStream(bytes), "fuzz.jsonl", options);
        for (SftExample e : d.examples()) {
            if (e.completion().isEmpty()) {
                throw new AssertionError("an empty completion was read");
            }
        }
    }
}
