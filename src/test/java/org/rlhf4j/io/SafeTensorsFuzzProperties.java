package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated valid files and random garbage: the reader either reads them or throws a
 * {@link SafeTensorsException} subclass; never OutOfMemoryError, NegativeArraySizeException,
 * IndexOutOfBoundsException, or anything else. The valid files mix every loadable dtype; the
 * mutations work on bytes (flip, insert, delete, truncate, extend, a new header length) and on the
 * header text (numbers swapped for hostile ones, JSON punctuation swapped), so most tries get past
 * the length checks into the JSON and layout rules. At the end, the run must have met most kinds of
 * fault; the counts go to target/io-fuzz-stats.txt.
 */
class SafeTensorsFuzzProperties {

    private static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "I16", "F8_E5M2"};
    private static final String[] HOSTILE = {"-1", "0", "1.5", "1e9", "4294967296", "9223372036854775807",
        "18446744073709551616", "-9223372036854775808", "99999999999999999999999", "2147483648", "null", "\"7\"",
        "[]", "{}", "[0,1]", "true"};
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern STRING_VALUE = Pattern.compile(":\"[^\"]*\"");
    private static final Pattern OFFSETS = Pattern.compile("\\[([0-9]+),([0-9]+)\\]");
    private static final String PUNCTUATION = "{}[],:\" ";

    private static final Map<String, Integer> OUTCOMES = new ConcurrentHashMap<>();
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("rlhf4j-io-fuzz");
    }

    @AfterContainer
    static void report() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(OUTCOMES).forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "io-fuzz-stats.txt"), sb.toString());
        assertTrue(OUTCOMES.size() >= 15, "the fuzzer reached only these outcomes:\n" + sb);
    }

    @Property(tries = 4000)
    void mutatedValidFilesThrowOnlySafeTensorsExceptions(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        byte[] bytes = mutate(validFile(r), r);
        readExpectingOnlyDeclaredExceptions(bytes, r.nextInt(4) == 0 ? ReadOptions.defaults().withMaxElements(8)
                : ReadOptions.defaults());
    }

    @Property(tries = 1000)
    void garbageThrowsOnlySafeTensorsExceptions(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        byte[] junk = new byte[r.nextInt(120)];
        r.nextBytes(junk);
        if (junk.length >= 8 && r.nextBoolean()) {
            System.arraycopy(StFiles.le64(r.nextInt(junk.length)), 0, junk, 0, 8); // a plausible header length
            if (junk.length > 8 && r.nextBoolean()) {
                junk[8] = '{';
            }
        }
        readExpectingOnlyDeclaredExceptions(junk, ReadOptions.defaults());
    }

    private static void readExpectingOnlyDeclaredExceptions(byte[] bytes, ReadOptions options) throws IOException {
        Path file = dir.resolve("fuzz.safetensors");
        Files.write(file, bytes);
        try {
            SafeTensors.read(file, options);
            OUTCOMES.merge("read", 1, Integer::sum);
        } catch (SafeTensorsException e) {
            OUTCOMES.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        }
        // anything else propagates and fails the property, with the seed to replay it
    }

    /** A valid file of 0-4 tensors of random dtypes, shapes (zero dims and scalars too) and bytes. */
    static byte[] validFile(Random r) {
        int n = r.nextInt(5);
        StringBuilder header = new StringBuilder("{");
        if (r.nextInt(3) == 0) {
            header.append("\"__metadata__\":{\"format\":\"pt\",\"k\\u00e9\":\"v\"},");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long offset = 0;
        for (int i = 0; i < n; i++) {
            String dtype = DTYPES[r.nextInt(DTYPES.length)];
            int size = Dtype.parse(dtype).bytes();
            int rank = r.nextInt(4);
            List<Integer> shape = new ArrayList<>();
            long count = 1;
            for (int d = 0; d < rank; d++) {
                int dim = r.nextInt(4);
                shape.add(dim);
                count *= dim;
            }
            byte[] raw = new byte[(int) (count * size)];
            r.nextBytes(raw);
            if (dtype.startsWith("I") || dtype.equals("BOOL")) {
                Arrays.fill(raw, (byte) (r.nextBoolean() ? 0 : 1)); // mostly exact integers
            }
            data.writeBytes(raw);
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append(r.nextBoolean() ? "\u00e9\"" : "\"")
                    .append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":").append(shape.toString().replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + raw.length).append("]}");
            offset += raw.length;
        }
        String h = header.append('}').toString().replace("{,", "{");
        return StFiles.file(h.getBytes(StandardCharsets.UTF_8), data.toByteArray());
    }

    /** One to three random mutations, on the bytes or on the header text. */
    static byte[] mutate(byte[] file, Random r) {
        byte[] b = file;
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(12)) {
                case 0 -> { // flip a byte, often in the data section
                    if (b.length > 0) {
                        b = b.clone();
                        int where = r.nextBoolean() ? at : b.length - 1 - r.nextInt(Math.min(b.length, 16));
                        b[where] = (byte) r.nextInt(256);
                    }
                }
                case 1 -> b = Arrays.copyOf(b, at); // truncate
                case 2 -> { // extend
                    byte[] tail = new byte[1 + r.nextInt(16)];
                    r.nextBytes(tail);
                    b = concat(b, tail);
                }
                case 3 -> { // a new header length: small shifts or any 64-bit value
                    if (b.length >= 8) {
                        b = b.clone();
                        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                        long m = r.nextInt(4) != 0 ? n + r.nextInt(17) - 8 : r.nextLong();
                        System.arraycopy(StFiles.le64(m), 0, b, 0, 8);
                    }
                }
                case 4 -> b = concat(concat(Arrays.copyOf(b, at), new byte[] {(byte) r.nextInt(256)}),
                        Arrays.copyOfRange(b, at, b.length)); // insert
                default -> b = mutateHeaderText(b, r);
            }
        }
        return b;
    }

    /** Rewrites the header text (keeping the length prefix consistent): a number or a punctuation mark replaced. */
    private static byte[] mutateHeaderText(byte[] b, Random r) {
        if (b.length < 8) {
            return b;
        }
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > b.length - 8) {
            return b;
        }
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(b, 8 + (int) n, b.length);
        String mutated = switch (r.nextInt(4)) {
            case 0 -> replaceOne(header, NUMBER, r, old -> r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)]
                    : new BigInteger(old).add(BigInteger.valueOf(r.nextInt(9) - 4)).toString());
            case 1 -> replaceOne(header, STRING_VALUE, r, old -> ":" + HOSTILE[r.nextInt(HOSTILE.length)]);
            case 2 -> replaceOne(header, OFFSETS, r, old -> { // move one tensor's data: gaps and overlaps
                Matcher m = OFFSETS.matcher(old);
                m.matches();
                BigInteger shift = BigInteger.valueOf(r.nextInt(9) - 4);
                return "[" + new BigInteger(m.group(1)).add(shift) + "," + new BigInteger(m.group(2)).add(shift) + "]";
            });
            default -> {
                int at = header.isEmpty() ? 0 : r.nextInt(header.length());
                char c = PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()));
                yield header.isEmpty() ? String.valueOf(c) : header.substring(0, at) + c + header.substring(at + 1);
            }
        };
        return StFiles.file(mutated.getBytes(StandardCharsets.UTF_8), data);
    }

    /** {@code text} with one match of {@code pattern}, chosen at random, replaced by {@code by(match)}. */
    private static String replaceOne(String text, Pattern pattern, Random r, UnaryOperator<String> by) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(r.nextInt(spans.size()));
        return text.substring(0, span[0]) + by.apply(text.substring(span[0], span[1])) + text.substring(span[1]);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
