package org.rlhf4j.feedback;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.JsonlLines;

/**
 * The VADER sentiment lexicon: 7,517 tokens (words, word pairs, emoticons), each rated for valence on
 * -4 (extremely negative) .. +4 (extremely positive) by 10 human raters (Hutto and Gilbert, "VADER: A
 * Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014). The file has
 * one tab-separated line per token: {@code token, mean, standard deviation, [r1, ..., r10]}. The list
 * position is not a fixed person (the paper collected ratings through Amazon Mechanical Turk, and the
 * file does not say who gave which), so a simulated rater should draw from the list at random.
 *
 * <p>Look-ups are case-insensitive: tokens are lowercased, and lines whose tokens are then equal pool
 * their ratings (a draw picks from all of them, and {@link #meanRating} is their mean). The file lists
 * 14 tokens twice (e.g. {@code lol} on lines 303 and 4403, once among the emoticons and once among the
 * words) and has 12 more lines that differ from another only in case ({@code :D} and {@code :d}), so its
 * 7,517 lines give 7,491 tokens.
 * The mean is always computed from the ratings, not read from the mean column, so that it is the
 * expectation of a draw; the two agree to the file's one decimal for every token but {@code lmfao}
 * (column 2.5, ratings average 2.4), an upstream slip.
 *
 * <p>Immutable and thread-safe.
 */
public final class VaderLexicon {

    private static final String BUNDLED = "/org/rlhf4j/feedback/vader/vader_lexicon.txt";

    /**
     * One line of the file.
     *
     * @param token   as written in the file (case kept)
     * @param mean    the mean column
     * @param std     the standard-deviation column
     * @param ratings the 10 ratings, each -4..4, in file order
     * @param line    the 1-based line number
     */
    public record Entry(String token, double mean, double std, List<Integer> ratings, long line) {
        public Entry {
            ratings = List.copyOf(ratings);
        }
    }

    private final List<Entry> entries;
    private final Map<String, int[]> ratings;
    private final int maxWords;

    private VaderLexicon(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, int[]> pooled = new HashMap<>();
        int longest = 1;
        for (Entry e : entries) {
            String key = e.token().toLowerCase(Locale.ROOT);
            int[] mine = e.ratings().stream().mapToInt(Integer::intValue).toArray();
            pooled.merge(key, mine, (a, b) -> {
                int[] both = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, both, a.length, b.length);
                return both;
            });
            longest = Math.max(longest, key.split(" ").length);
        }
        this.ratings = Map.copyOf(pooled);
        this.maxWords = longest;
    }

    /** The lexicon bundled with rlhf4j (npm {@code vader-sentiment@1.1.3}, see NOTICE). */
    public static VaderLexicon bundled() {
        try (InputStream in = VaderLexicon.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " is missing from the classpath");
            }
            return read(in, "vader_lexicon.txt");
        } catch (IOException e) {
            throw new IllegalStateException("could not read the bundled resource " + BUNDLED, e);
        }
    }

    /** A lexicon in VADER's format from a file; a bad line is a {@link DatasetFormatException}. */
    public static VaderLexicon read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static VaderLexicon read(InputStream in, String name) throws IOException {
        List<Entry> entries = new ArrayList<>();
        JsonlLines lines = new JsonlLines(new BufferedInputStream(in), 4096);
        while (lines.next()) {
            long n = lines.number();
            if (lines.tooLong()) {
                throw new DatasetFormatException(name, n, null, "the line is longer than 4096 bytes");
            }
            if (lines.blank()) {
                continue;
            }
            try {
                entries.add(parseLine(lines.text(), n, name));
            } catch (JsonlLines.InvalidUtf8 e) {
                throw new DatasetFormatException(name, n, null, "invalid UTF-8: " + e.getMessage());
            }
        }
        if (entries.isEmpty()) {
            throw new DatasetFormatException(name, 1, null, "no entries; expected lines of token, mean, std, [10 ratings]");
        }
        return new VaderLexicon(entries);
    }

    private static Entry parseLine(String text, long n, String name) {
        String[] cols = text.split("\t", -1);
        if (cols.length != 4) {
            throw new DatasetFormatException(name, n, null, "expected 4 tab-separated columns (token, mean, std, "
                    + "[ratings]), got " + cols.length);
        }
        if (cols[0].isBlank()) {
            throw new DatasetFormatException(name, n, "token", "is empty");
        }
        double mean = number(cols[1], "mean", n, name);
        double std = number(cols[2], "std", n, name);
        String list = cols[3].strip();
        if (!list.startsWith("[") || !list.endsWith("]")) {
            throw new DatasetFormatException(name, n, "ratings", "expected [r1, ..., r10], got " + list);
        }
        List<Integer> ratings = new ArrayList<>();
        for (String r : list.substring(1, list.length() - 1).split(",")) {
            int v;
            try {
                v = Integer.parseInt(r.strip());
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(name, n, "ratings", "not an integer: '" + r.strip() + "'");
            }
            if (v < -4 || v > 4) {
                throw new DatasetFormatException(name, n, "ratings", "rating " + v + " is outside -4..4");
            }
            ratings.add(v);
        }
        return new Entry(cols[0], mean, std, ratings, n);
    }

    private static double number(String s, String field, long n, String name) {
        try {
            double d = Double.parseDouble(s.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DatasetFormatException(name, n, field, "not a finite number: '" + s + "'");
    }

    /** Every line of the file, in order (7,517 for the bundled lexicon). */
    public List<Entry> entries() {
        return entries;
    }

    /** The number of distinct lowercased tokens (7,491 for the bundled lexicon). */
    public int size() {
        return ratings.size();
    }

    /** The ratings of a token (lowercased; pooled over repeated lines), or empty when it is not rated. */
    public Optional<int[]> ratings(String token) {
        int[] r = ratings.get(token.toLowerCase(Locale.ROOT));
        return r == null ? Optional.empty() : Optional.of(r.clone());
    }

    /** The mean of a token's ratings: the expectation of one rater's score; 0 for a token not rated. */
    public double meanRating(String token) {
        int[] r = ratings.get(token.toLowerCase(Locale.ROOT));
        if (r == null) {
            return 0;
        }
        double sum = 0;
        for (int v : r) {
            sum += v;
        }
        return sum / r.length;
    }

    /** Ratings by key, without a copy; for the annotators of this package. */
    int[] ratingsOrNull(String key) {
        return ratings.get(key);
    }

    /**
     * A text as lowercased words: the text is lowercased ({@link Locale#ROOT}) and split at whitespace;
     * a piece that is itself a lexicon token is kept whole (emoticons such as {@code :)} or {@code :-d});
     * otherwise leading and trailing characters that are neither letters nor digits are stripped
     * ({@code "movie."} becomes {@code movie}, {@code don't} keeps its apostrophe), and a piece of
     * punctuation only is kept as it is. This is rlhf4j's own simple tokenizer, not VADER's.
     */
    public List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String piece : text.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (piece.isEmpty()) {
                continue;
            }
            if (ratings.containsKey(piece)) {
                out.add(piece);
                continue;
            }
            int from = 0, to = piece.length();
            while (from < to && !Character.isLetterOrDigit(piece.codePointAt(from))) {
                from += Character.charCount(piece.codePointAt(from));
            }
            while (to > from && !Character.isLetterOrDigit(piece.codePointBefore(to))) {
                to -= Character.charCount(piece.codePointBefore(to));
            }
            out.add(from < to ? piece.substring(from, to) : piece);
        }
        return out;
    }

    /**
     * The lexicon tokens in a text, left to right: at each word the longest run of words that is a token
     * wins, up to 3 words in the bundled file ({@code "can't stand"} is one token, rated -2.0, not
     * {@code can't} then {@code stand}).
     * A word that is part of no token is skipped. Repeated tokens appear once per occurrence.
     */
    public List<String> ratedTokens(String text) {
        List<String> w = words(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.size(); ) {
            int matched = 0;
            for (int n = Math.min(maxWords, w.size() - i); n >= 1 && matched == 0; n--) {
                String key = String.join(" ", w.subList(i, i + n));
                if (ratings.containsKey(key)) {
                    out.add(key);
                    matched = n;
                }
            }
            i += Math.max(matched, 1);
        }
        return out;
    }
}
