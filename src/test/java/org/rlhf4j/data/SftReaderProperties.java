package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The JSONL reader on generated input. Garbage (random bytes mixed with JSON punctuation, field names
 * and line ends) makes it throw {@link DatasetFormatException} and nothing else; files mixing good and
 * bad lines give back every good example unchanged, and lenient mode counts exactly the bad ones.
 */
class SftReaderProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 2000)
    void garbageGivesOnlyTheDeclaredException(@ForAll("garbage") byte[] bytes) throws IOException {
        for (SftReader.Options options : List.of(SftReader.Options.strict(),
                SftReader.Options.lenient(Integer.MAX_VALUE).withMaxLineBytes(64))) {
            try {
                SftDataset d = SftReader.read(new ByteArrayInputStream(bytes), "fuzz.jsonl", options);
                for (SftExample e : d.examples()) {
                    assertEquals(false, e.completion().isEmpty());
                }
            } catch (DatasetFormatException expected) {
                assertEquals("fuzz.jsonl", expected.file());
            }
        }
    }

    @Property(tries = 300)
    void goodLinesComeBackAndBadLinesAreCounted(@ForAll("lines") List<Line> lines) throws IOException {
        StringBuilder file = new StringBuilder();
        List<SftExample> expected = new ArrayList<>();
        List<Long> badLines = new ArrayList<>();
        long number = 0;
        for (Line line : lines) {
            number++;
            file.append(line.text).append(number % 3 == 0 ? "\r\n" : "\n");
            if (line.good) {
                expected.add(new SftExample(line.prompt, line.completion, "gen.jsonl", number));
            } else {
                badLines.add(number);
            }
        }
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        SftDataset d = SftReader.read(new ByteArrayInputStream(bytes), "gen.jsonl", SftReader.Options.lenient(lines.size()));
        assertEquals(expected, d.examples());
        assertEquals(badLines, d.skipped().stream().map(DatasetFormatException::line).toList());
    }

    record Line(String text, boolean good, String prompt, String completion) {
    }

    @Provide
    Arbitrary<List<Line>> lines() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("é😀\n\t\"\\\u0000\u2028")
                .ofMaxLength(12).filter(SftReaderProperties::wellFormed);
        Arbitrary<Line> good = Combinators.combine(text, text.filter(s -> !s.isEmpty()))
                .as((p, c) -> new Line(json(p, c), true, p, c));
        Arbitrary<Line> bad = Combinators.combine(text, Arbitraries.integers().between(0, 5)).as((p, kind) -> {
            switch (kind) {
                case 0: return new Line(json(p, ""), false, null, null);
                case 1: return new Line("{\"prompt\":" + JSON.valueToTree(p) + "}", false, null, null);
                case 2: return new Line("{\"prompt\":1,\"completion\":\"x\"}", false, null, null);
                case 3: return new Line(json(p, "x").substring(1), false, null, null);
                case 4: return new Line("{\"prompt\":\"\\ud800\",\"completion\":\"x\"}", false, null, null);
                default: return new Line("[" + JSON.valueToTree(p) + "]", false, null, null);
            }
        });
        return Arbitraries.frequencyOf(Tuple.of(3, good), Tuple.of(1, bad))
                .list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "\n", "\r\n", " ", "\\", "\\u", "\\ud800", "null",
                        "\"prompt\"", "\"completion\"", "\"\"", "1e999", "-0", "true", "\u00e9", "\ufeff"),
                Arbitraries.strings().ofMaxLength(3));
        Arbitrary<byte[]> text = pieces.list().ofMaxSize(40)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(text, raw, text.map(t -> {
            byte[] out = t.clone();
            if (out.length > 0) {
                out[out.length / 2] = (byte) 0xC3; // a cut multi-byte sequence
            }
            return out;
        }));
    }

    private static String json(String prompt, String completion) {
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt", prompt);
        o.put("completion", completion);
        return o.toString();
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                if (!Character.isHighSurrogate(s.charAt(i)) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
