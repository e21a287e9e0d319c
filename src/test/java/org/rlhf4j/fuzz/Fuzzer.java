package org.rlhf4j.fuzz;

import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain, counted fuzz loop (no framework, so the same code runs in a small child JVM): input i of a
 * run is generated from {@code new Random(mix(seed, i))}, so any failure replays from (seed, i). Each
 * input goes to the target; the outcome is "ok" or the simple name of the exception it threw. An
 * exception outside the declared ones, any Error (OutOfMemoryError, StackOverflowError), or an input
 * that takes more than {@link #SLOW_NANOS} twice in a row (the retry tells a slow input from a load
 * spike on a shared machine) ends the run with a {@link Failure} that names the seed and index.
 */
public final class Fuzzer {

    private static final String SPECIAL = "\n\r\t\"\\/\u0000\u2028\ufeff\u00e9";

    /** The most one input may take. */
    public static final long SLOW_NANOS = 1_000_000_000L;

    /** Makes input {@code i}'s bytes from its own random stream. */
    @FunctionalInterface
    public interface Generator {
        byte[] generate(Random r);
    }

    /** Reads one input; throws one of the declared exceptions on bad input. */
    @FunctionalInterface
    public interface Target {
        void read(byte[] input, Random r) throws Exception;
    }

    /** What a run met: outcomes by name, and its time. */
    public record Result(String name, long seed, long inputs, Map<String, Long> outcomes, long slowestNanos,
                         long totalNanos) {
        /** One line: {@code name inputs=N seconds=S slowest_ms=M outcomes={...}}. */
        public String line() {
            return String.format(java.util.Locale.ROOT, "%s seed=%d inputs=%d seconds=%.2f slowest_ms=%.2f outcomes=%s",
                    name, seed, inputs, totalNanos / 1e9, slowestNanos / 1e6, outcomes);
        }
    }

    /** The run stopped on an input that broke the contract. */
    public static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Fuzzer() {
    }

    /** Stream i of a run: independent of every other i. */
    public static long mix(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L; // SplitMix64's finalizer
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Runs {@code inputs} inputs; throws {@link Failure} on the first that breaks the contract. */
    public static Result run(String name, long seed, int inputs, Generator gen, Target target,
                             Set<Class<? extends Exception>> declared) {
        Map<String, Long> outcomes = new TreeMap<>();
        long slowest = 0, start = System.nanoTime();
        for (int i = 0; i < inputs; i++) {
            byte[] input = gen.generate(new Random(mix(seed, i)));
            long t = timed(name, seed, i, input, target, declared, outcomes);
            if (t > SLOW_NANOS) {
                t = timed(name, seed, i, input, target, declared, new TreeMap<>()); // again: slow, or a spike?
                if (t > SLOW_NANOS) {
                    throw new Failure(where(name, seed, i, input) + " took " + t / 1_000_000 + " ms, twice", null);
                }
            }
            slowest = Math.max(slowest, t);
        }
        return new Result(name, seed, inputs, outcomes, slowest, System.nanoTime() - start);
    }

    private static long timed(String name, long seed, int i, byte[] input, Target target,
                              Set<Class<? extends Exception>> declared, Map<String, Long> outcomes) {
        long t0 = System.nanoTime();
        String outcome;
        try {
            target.read(input, new Random(mix(~seed, i)));
            outcome = "ok";
        } catch (Exception e) {
            if (declared.stream().noneMatch(c -> c.isInstance(e))) {
                throw new Failure(where(name, seed, i, input) + " threw an undeclared " + e, e);
            }
            outcome = e.getClass().getSimpleName();
        } catch (Throwable e) { // OutOfMemoryError, StackOverflowError, AssertionError from the target's checks
            throw new Failure(where(name, seed, i, input) + " threw " + e, e);
        }
        long t = System.nanoTime() - t0;
        outcomes.merge(outcome, 1L, Long::sum);
        return t;
    }

    private static String where(String name, long seed, int i, byte[] input) {
        String b64 = Base64.getEncoder().encodeToString(input);
        return name + " seed " + seed + " input " + i + " (" + input.length + " bytes, base64 "
                + (b64.length() > 400 ? b64.substring(0, 400) + "..." : b64) + ")";
    }

    /** One of the byte-level damages a bad edit, a bad disk or a cut download does; {@code tokens} are spliced in. */
    public static byte[] mutate(byte[] b, Random r, String[] tokens) {
        int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
        switch (r.nextInt(9)) {
            case 0: // delete a run
                return b.length == 0 ? b : splice(b, Math.min(at, b.length - 1), Math.min(b.length, Math.min(at, b.length - 1) + 1 + r.nextInt(8)), new byte[0]);
            case 1: // overwrite a byte with anything
                if (b.length > 0) {
                    byte[] c = b.clone();
                    c[Math.min(at, b.length - 1)] = (byte) r.nextInt(256);
                    return c;
                }
                return b;
            case 2: // truncate
                return java.util.Arrays.copyOf(b, at);
            case 3: // insert a token
                return splice(b, at, at, tokens[r.nextInt(tokens.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case 4: { // duplicate a range
                int from = b.length == 0 ? 0 : r.nextInt(b.length), to = Math.min(b.length, from + 1 + r.nextInt(64));
                return splice(b, at, at, java.util.Arrays.copyOfRange(b, from, to));
            }
            case 5: // swap two bytes
                if (b.length > 1) {
                    byte[] c = b.clone();
                    int x = r.nextInt(c.length), y = r.nextInt(c.length);
                    byte t = c[x];
                    c[x] = c[y];
                    c[y] = t;
                    return c;
                }
                return b;
            case 6: { // a deep nest or a long run: parser limits
                char open = "[{\"1 ".charAt(r.nextInt(5));
                byte[] run = new byte[1 + r.nextInt(r.nextBoolean() ? 100 : 5000)];
                java.util.Arrays.fill(run, (byte) open);
                return splice(b, at, at, run);
            }
            case 7: { // replace a range with random bytes
                byte[] junk = new byte[1 + r.nextInt(8)];
                r.nextBytes(junk);
                return splice(b, at, Math.min(b.length, at + junk.length), junk);
            }
            default: // cut a multi-byte sequence or flip one bit
                if (b.length > 0) {
                    byte[] c = b.clone();
                    c[Math.min(at, b.length - 1)] ^= (byte) (1 << r.nextInt(8));
                    return c;
                }
                return b;
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] c = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(with, 0, c, from, with.length);
        System.arraycopy(b, to, c, from + with.length, b.length - to);
        return c;
    }

    /** Random text: ASCII, JSON's special characters, and code points from every plane (never a lone surrogate). */
    public static String text(Random r, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxLength + 1); n > 0; n--) {
            switch (r.nextInt(6)) {
                case 0, 1, 2 -> sb.append((char) (' ' + r.nextInt(95)));
                case 3 -> sb.append(SPECIAL.charAt(r.nextInt(SPECIAL.length())));
                case 4 -> sb.appendCodePoint(0x1F300 + r.nextInt(0x400));
                default -> {
                    int cp = r.nextInt(Character.MAX_CODE_POINT + 1);
                    sb.appendCodePoint(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 'x' : cp);
                }
            }
        }
        return sb.toString();
    }

    /**
     * The input mix of the JSONL readers' campaigns: a quarter {@link #garbage}, the rest a valid file from
     * {@code validFile} with 1 to 3 {@link #mutate mutations}.
     */
    public static byte[] garbageOrMutated(Random r, String[] tokens, java.util.function.Function<Random, byte[]> validFile) {
        if (r.nextInt(4) == 0) {
            return garbage(r, tokens);
        }
        byte[] b = validFile.apply(r);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            b = mutate(b, r, tokens);
        }
        return b;
    }

    /** Random bytes, or a jumble of {@code tokens}: the two kinds of garbage. */
    public static byte[] garbage(Random r, String[] tokens) {
        if (r.nextBoolean()) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            return b;
        }
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(60); n > 0; n--) {
            sb.append(tokens[r.nextInt(tokens.length)]);
        }
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Declared exceptions, for {@link #run}. */
    @SafeVarargs
    public static Set<Class<? extends Exception>> declared(Class<? extends Exception>... types) {
        return Set.of(types);
    }
}
