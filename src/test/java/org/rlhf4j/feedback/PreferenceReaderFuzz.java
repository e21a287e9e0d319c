package org.rlhf4j.feedback;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * PreferenceReader's fuzz target for the campaign (FuzzCampaign): garbage, and mutations of valid files
 * of pairwise, ranked and rated records, read strictly or leniently with a 64-byte line cap. Only
 * DatasetFormatException may come out, and every record read can be written and parsed back equal.
 */
public final class PreferenceReaderFuzz {

    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\n", "\r\n", " ", "\\u", "\"prompt\"",
        "\"chosen\"", "\"rejected\"", "\"completions\"", "\"ranking\"", "\"completion\"", "\"rating\"", "\"x\"", "\"\"",
        "0", "1", "-1", "2.5", "1e999", "99999999999", "null", "true", "NaN", "\\ud800", "\u00e9", "\uD83D\uDE00",
        "[0,0]", "[1,0,2]", "-0.0", "4.9e-324"};

    private PreferenceReaderFuzz() {
    }

    /** Runs {@code inputs} inputs: a quarter garbage, the rest mutated valid files. */
    public static Fuzzer.Result run(long seed, int inputs) {
        return Fuzzer.run("feedback.PreferenceReader", seed, inputs, PreferenceReaderFuzz::input,
                PreferenceReaderFuzz::read, Fuzzer.declared(DatasetFormatException.class));
    }

    static byte[] input(Random r) {
        return Fuzzer.garbageOrMutated(r, TOKENS, PreferenceReaderFuzz::validFile);
    }

    static byte[] validFile(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(5); n > 0; n--) {
            Preference p = switch (r.nextInt(3)) {
                case 0 -> new PairwisePreference(Fuzzer.text(r, 8), "a" + Fuzzer.text(r, 8), "b" + Fuzzer.text(r, 8));
                case 1 -> {
                    List<String> completions = new ArrayList<>();
                    List<Integer> ranking = new ArrayList<>();
                    for (int i = 0, k = 2 + r.nextInt(4); i < k; i++) {
                        completions.add("c" + Fuzzer.text(r, 6));
                        ranking.add(i);
                    }
                    Collections.shuffle(ranking, r);
                    yield new RankedPreference(Fuzzer.text(r, 8), completions, ranking);
                }
                default -> new RatedPreference(Fuzzer.text(r, 8), "c" + Fuzzer.text(r, 8),
                        r.nextBoolean() ? r.nextInt(11) - 5 : r.nextGaussian() * 1e6);
            };
            sb.append(PreferenceJson.format(p)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void read(byte[] bytes, Random r) throws Exception {
        PreferenceReader.Options options = r.nextBoolean() ? PreferenceReader.Options.strict()
                : PreferenceReader.Options.lenient(Integer.MAX_VALUE).withMaxLineBytes(64);
        PreferenceData d = PreferenceReader.read(new ByteArrayInputStream(bytes), "fuzz.jsonl", options);
        for (Preference p : d.records()) {
            if (!p.equals(PreferenceJson.parse(PreferenceJson.format(p), "again", 1))) {
                throw new AssertionError("read, written and read again differs: " + p);
            }
        }
    }
}
