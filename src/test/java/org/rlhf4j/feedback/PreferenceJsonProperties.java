package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.rlhf4j.data.DatasetFormatException;

/**
 * Preference JSONL on generated input: any record written comes back equal (strings with newlines,
 * quotes, control characters, emoji, any plane of Unicode), and garbage or mutated lines make the
 * reader throw {@link DatasetFormatException} and nothing else.
 */
class PreferenceJsonProperties {

    @Property(tries = 300)
    void writeThenReadGivesBackTheSameRecords(@ForAll("records") List<Preference> records) throws IOException {
        Path f = Files.createTempFile("prefs", ".jsonl");
        try {
            Files.delete(f);
            try (PreferenceWriter w = PreferenceWriter.open(f, 16)) {
                for (Preference p : records) {
                    w.write(p);
                }
            }
            assertEquals(records.size(), Files.readAllLines(f).size(), "one line per record");
            assertEquals(records, PreferenceReader.read(f).records());
            for (Preference p : records) {
                assertEquals(p, PreferenceJson.parse(PreferenceJson.format(p), "mem", 1));
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 2000)
    void garbageGivesOnlyTheDeclaredException(@ForAll("garbage") byte[] bytes) throws IOException {
        readExpectingOnlyFormatErrors(bytes);
    }

    @Property(tries = 1000)
    void mutatedLinesGiveOnlyTheDeclaredException(@ForAll("records") List<Preference> records,
                                                 @ForAll long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Preference p : records) {
            out.write((PreferenceJson.format(p) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        Random random = new Random(seed);
        for (int m = 0, n = 1 + random.nextInt(4); m < n && bytes.length > 0; m++) {
            bytes = mutate(bytes, random);
        }
        readExpectingOnlyFormatErrors(bytes);
    }

    private static void readExpectingOnlyFormatErrors(byte[] bytes) throws IOException {
        for (PreferenceReader.Options options : List.of(PreferenceReader.Options.strict(),
                PreferenceReader.Options.lenient(Integer.MAX_VALUE).withMaxLineBytes(64))) {
            try {
                PreferenceData d = PreferenceReader.read(new ByteArrayInputStream(bytes), "fuzz.jsonl", options);
                for (Preference p : d.records()) {
                    assertEquals(p, PreferenceJson.parse(PreferenceJson.format(p), "again", 1), "what is read can be written");
                }
            } catch (DatasetFormatException expected) {
                assertEquals("fuzz.jsonl", expected.file());
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }

    /** Deletes, inserts, overwrites or truncates bytes: the damage a bad edit or a bad disk does. */
    private static byte[] mutate(byte[] bytes, Random random) {
        List<Byte> b = new ArrayList<>(bytes.length + 8);
        for (byte x : bytes) {
            b.add(x);
        }
        int at = random.nextInt(b.size());
        byte[] alphabet = "{}[]\":,\n\\ 0123456789-.eEtruefalsnl\u0080\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        switch (random.nextInt(5)) {
            case 0 -> b.remove(at);
            case 1 -> b.add(at, alphabet[random.nextInt(alphabet.length)]);
            case 2 -> b.set(at, (byte) random.nextInt(256));
            case 3 -> b.subList(at, b.size()).clear();
            default -> Collections.swap(b, at, random.nextInt(b.size()));
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    @Provide
    Arbitrary<List<Preference>> records() {
        Arbitrary<String> text = text();
        Arbitrary<String> nonEmpty = text.filter(s -> !s.isEmpty());
        Arbitrary<Preference> pairwise = Combinators.combine(text, nonEmpty, nonEmpty).as(PairwisePreference::new);
        Arbitrary<Preference> ranked = Combinators.combine(text, nonEmpty.list().ofMinSize(2).ofMaxSize(6), Arbitraries.longs())
                .as((prompt, completions, seed) -> {
                    List<Integer> ranking = new ArrayList<>();
                    for (int i = 0; i < completions.size(); i++) {
                        ranking.add(i);
                    }
                    Collections.shuffle(ranking, new Random(seed));
                    return new RankedPreference(prompt, completions, ranking);
                });
        Arbitrary<Double> ratings = Arbitraries.oneOf(Arbitraries.doubles().between(-1e300, 1e300),
                Arbitraries.of(0.0, -0.0, 4.0, -4.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1));
        Arbitrary<Preference> rated = Combinators.combine(text, nonEmpty, ratings).as(RatedPreference::new);
        return Arbitraries.oneOf(pairwise, ranked, rated).list().ofMaxSize(8);
    }

    /** Code points from every plane (never a lone surrogate), weighted towards JSON's special characters. */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        Arbitrary<Integer> special = Arbitraries.of((int) '\n', (int) '\r', (int) '\t', (int) '"', (int) '\\', 0, 0x2028,
                0xFEFF, 0x1F600, 0x1F469, 0x200D, (int) 'é', (int) ' ', (int) '/');
        Arbitrary<Integer> ascii = Arbitraries.integers().between(' ', '~');
        return Arbitraries.frequencyOf(Tuple.of(3, ascii), Tuple.of(2, special),
                        Tuple.of(1, any))
                .list().ofMaxSize(12)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\n", "\r\n", " ", "\\u",
                "\"prompt\"", "\"chosen\"", "\"rejected\"", "\"completions\"", "\"ranking\"", "\"completion\"",
                "\"rating\"", "\"x\"", "\"\"", "0", "1", "-1", "2.5", "1e999", "99999999999", "null", "true", "NaN",
                "\\ud800", "\u00e9", "\uD83D\uDE00");
        Arbitrary<byte[]> structured = pieces.list().ofMaxSize(40)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(structured, raw);
    }
}
