package org.rlhf4j.feedback;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.JsonlLines;

/**
 * Reads preference JSONL, one record per line in any of the three forms of {@link PreferenceJson}
 * (forms may be mixed in one file). Every line is checked, and a bad one is a
 * {@link DatasetFormatException} whose message starts {@code file:line:} (1-based), names the field when
 * one is at fault ({@code ranking[2]} for an array element), and says what was wrong:
 * <ul>
 *   <li>the line: longer than {@link Options#maxLineBytes()} (refused after reading at most that many
 *       bytes of it), not UTF-8 (the byte, its column and its byte offset in the file), not JSON
 *       (truncated, a repeated key, trailing content), not an object, or of no or two forms;</li>
 *   <li>a field: missing, of the wrong type, an empty completion, a ranking that is not a permutation of
 *       the completion indices, a rating that is not a finite number, an unpaired surrogate.</li>
 * </ul>
 * Blank lines are skipped; a byte-order mark before line 1 is dropped; CRLF is accepted. An empty file
 * gives an empty result, unless {@link Options#requireRecords()} asks for at least one record (then it
 * is an error on line 1). Strict mode (the default) throws at the first bad line. Lenient mode skips bad
 * lines and keeps their errors in {@link PreferenceData#skipped()}, but throws once more than
 * {@link Options#maxBadLines()} are bad. Nothing but {@link DatasetFormatException} and
 * {@link IOException} is thrown for any input.
 */
public final class PreferenceReader {

    /**
     * @param lenient        skip bad lines instead of throwing at the first
     * @param maxBadLines    in lenient mode, how many bad lines are skipped before the next one throws
     * @param maxLineBytes   the longest line read, in bytes without its line end; longer is an error
     * @param requireRecords a source without a single record is an error rather than an empty result
     */
    public record Options(boolean lenient, int maxBadLines, int maxLineBytes, boolean requireRecords) {

        /** The default longest line: 1 MiB (a ranking of 8 long completions fits many times over). */
        public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

        public Options {
            if (maxBadLines < 0 || maxLineBytes < 1) {
                throw new IllegalArgumentException("maxBadLines must be >= 0 and maxLineBytes >= 1, got "
                        + maxBadLines + " and " + maxLineBytes);
            }
        }

        /** Throw at the first bad line; an empty file is an empty result. */
        public static Options strict() {
            return new Options(false, 0, DEFAULT_MAX_LINE_BYTES, false);
        }

        /** Skip up to {@code maxBadLines} bad lines; the next one throws. */
        public static Options lenient(int maxBadLines) {
            return new Options(true, maxBadLines, DEFAULT_MAX_LINE_BYTES, false);
        }

        public Options withMaxLineBytes(int bytes) {
            return new Options(lenient, maxBadLines, bytes, requireRecords);
        }

        /** With {@code true}, a source that yields no record throws instead of returning an empty result. */
        public Options withRequireRecords(boolean require) {
            return new Options(lenient, maxBadLines, maxLineBytes, require);
        }
    }

    private PreferenceReader() {
    }

    /** Reads a JSONL file strictly. */
    public static PreferenceData read(Path file) throws IOException {
        return read(file, Options.strict());
    }

    public static PreferenceData read(Path file, Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), options);
        }
    }

    /** Reads JSONL from a stream; {@code name} stands for the file in error messages. */
    public static PreferenceData read(InputStream in, String name, Options options) throws IOException {
        List<DatasetFormatException> skipped = new ArrayList<>();
        List<Preference> records = readLines(in, name, options, skipped, PreferenceJson::parse);
        return new PreferenceData(name, records, skipped);
    }

    /**
     * K completions per line, to be ranked (by {@code rlhf4j annotate}, or a person):
     * {@code {"prompt", "completions": [...]}}, or pairwise and ranked lines whose verdicts are ignored
     * ({@link PreferenceJson#parseCandidates}). Bad lines, blank lines and options as in {@link #read}.
     */
    public static CandidateData readCandidates(Path file, Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<DatasetFormatException> skipped = new ArrayList<>();
            List<Candidates> items = readLines(in, file.toString(), options, skipped, PreferenceJson::parseCandidates);
            return new CandidateData(file.toString(), items, skipped);
        }
    }

    /** What {@link #readCandidates} read: the items in file order and, in lenient mode, the bad lines skipped. */
    public record CandidateData(String source, List<Candidates> items, List<DatasetFormatException> skipped) {
        public CandidateData {
            items = List.copyOf(items);
            skipped = List.copyOf(skipped);
        }
    }

    /** Parses one non-blank line of text; throws {@link DatasetFormatException} for a bad one. */
    interface LineParser<T> {
        T parse(String text, String file, long line);
    }

    static <T> List<T> readLines(InputStream in, String name, Options options,
                                         List<DatasetFormatException> skipped, LineParser<T> parser) throws IOException {
        List<T> records = new ArrayList<>();
        JsonlLines lines = new JsonlLines(new BufferedInputStream(in), options.maxLineBytes());
        while (lines.next()) {
            try {
                String text = text(lines, name);
                if (text != null) {
                    records.add(parser.parse(text, name, lines.number()));
                }
            } catch (DatasetFormatException e) {
                DatasetFormatException bad = lines.terminated() ? e : torn(e);
                if (!options.lenient()) {
                    throw bad;
                }
                if (skipped.size() >= options.maxBadLines()) {
                    throw new DatasetFormatException(name, bad.line(), bad.field().orElse(null), "more than "
                            + options.maxBadLines() + " bad lines, the lenient limit; this one: " + bad.problem(), bad);
                }
                skipped.add(bad);
            }
        }
        if (records.isEmpty() && options.requireRecords()) {
            throw new DatasetFormatException(name, Math.max(1, lines.number()), null, lines.number() == 0
                    ? "the file is empty; expected preference records (Options.requireRecords)"
                    : "no preference record in the file (" + skipped.size() + " bad lines skipped); expected at "
                    + "least one (Options.requireRecords)");
        }
        return records;
    }

    /**
     * The prompts of the complete records in {@code file}, in first-seen order; empty when the file does
     * not exist. For resuming a labelling session: a last line without a line end that does not parse
     * (a write cut short by a crash) is ignored, since {@link PreferenceWriter} drops it on opening; any
     * other bad line throws, as in strict {@link #read}.
     */
    public static Set<String> promptsIn(Path file) throws IOException {
        return collect(file, Preference::prompt);
    }

    /**
     * The {@link Candidates#key}s of the complete records in {@code file} (prompt and the set of
     * completions: a ranked record's completions, a pairwise record's chosen and rejected, a rated record's
     * one completion), in first-seen order; empty when the file does not exist. For resuming the labelling
     * of prepared candidates, where the prompt alone does not identify an item (many lines may have none),
     * and for {@code annotate} not to label an item twice. A torn last line is ignored, as in {@link #promptsIn}.
     */
    public static Set<String> keysIn(Path file) throws IOException {
        return collect(file, PreferenceReader::key);
    }

    /** The {@link Candidates#key} of the item a record judged. */
    public static String key(Preference p) {
        if (p instanceof RankedPreference r) {
            return Candidates.key(r.prompt(), r.completions());
        }
        if (p instanceof PairwisePreference pw) {
            return Candidates.key(pw.prompt(), List.of(pw.chosen(), pw.rejected()));
        }
        return Candidates.key(p.prompt(), List.of(((RatedPreference) p).completion()));
    }

    private static Set<String> collect(Path file, java.util.function.Function<Preference, String> what)
            throws IOException {
        Set<String> found = new LinkedHashSet<>();
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return found;
        }
        try (InputStream in = raw) {
            JsonlLines lines = new JsonlLines(new BufferedInputStream(in), Options.DEFAULT_MAX_LINE_BYTES);
            while (lines.next()) {
                try {
                    Preference p = parse(lines, file.toString());
                    if (p != null) {
                        found.add(what.apply(p));
                    }
                } catch (DatasetFormatException e) {
                    if (lines.terminated()) {
                        throw e;
                    }
                }
            }
        }
        return found;
    }

    /** The record on the current line, or null for a blank line. */
    static Preference parse(JsonlLines lines, String name) {
        String text = text(lines, name);
        return text == null ? null : PreferenceJson.parse(text, name, lines.number());
    }

    /** The text of the current line, or null for a blank line; too long or not UTF-8 is an error. */
    private static String text(JsonlLines lines, String name) {
        long number = lines.number();
        if (lines.tooLong()) {
            throw new DatasetFormatException(name, number, null, "the line is longer than " + lines.maxBytes()
                    + " bytes (Options.maxLineBytes)");
        }
        if (lines.blank()) {
            return null;
        }
        try {
            return lines.text();
        } catch (JsonlLines.InvalidUtf8 e) {
            throw new DatasetFormatException(name, number, null, String.format("invalid UTF-8: byte 0x%02X at "
                    + "column %d (byte offset %d of the file)", e.value(), e.column(), e.streamOffset()));
        }
    }

    /** The same error, saying that the line has no line end: most likely a write cut short. */
    private static DatasetFormatException torn(DatasetFormatException e) {
        return new DatasetFormatException(e.file(), e.line(), e.field().orElse(null), e.problem() + " (the last "
                + "line has no line end: a write cut short? PreferenceWriter drops such a line when it opens the file)", e);
    }
}
