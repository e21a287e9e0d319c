package org.rlhf4j.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.feedback.UciSentences.Domain;

/**
 * The bundled human judgements are what their sources say they are: counts, ranges and means are
 * pinned, the files match scripts/fetch-feedback-data.sh's sums, and NOTICE credits them.
 */
class BundledFeedbackDataTest {

    private static final VaderLexicon LEXICON = VaderLexicon.bundled();

    @Test
    void theLexiconHas7517LinesOfTenRatingsEach() {
        List<VaderLexicon.Entry> entries = LEXICON.entries();
        assertEquals(7517, entries.size());
        List<String> meanOff = new ArrayList<>(), stdOff = new ArrayList<>();
        for (VaderLexicon.Entry e : entries) {
            assertEquals(10, e.ratings().size(), e.token());
            double sum = 0, sq = 0;
            for (int r : e.ratings()) {
                assertTrue(r >= -4 && r <= 4, e.token() + ": " + r);
                sum += r;
                sq += r * r;
            }
            double mean = sum / 10, std = Math.sqrt(sq / 10 - mean * mean);
            if (Math.abs(mean - e.mean()) > 0.05 + 1e-9) { // the column has one decimal
                meanOff.add(e.token());
            }
            if (Math.abs(std - e.std()) > 1e-5) { // population std to five decimals, rounded or (compelling) cut
                stdOff.add(e.token());
            }
        }
        assertEquals(List.of("lmfao"), meanOff, "the one upstream slip: its column says 2.5, its ratings average 2.4");
        assertEquals(List.of("lmfao", "repetitive"), stdOff, "repetitive's column has 0.06325 for 0.63246");
        assertEquals(7491, LEXICON.size(), "7,517 lines, case-folded");
        assertEquals(new VaderLexicon.Entry("$:", -1.5, 0.80623, List.of(-1, -1, -1, -1, -3, -1, -3, -1, -2, -1), 1),
                entries.get(0));
    }

    @Test
    void lookUpsAreCaseFoldedAndRepeatedTokensPool() {
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 4, 4, 3}, LEXICON.ratings("LOVE").orElseThrow());
        assertEquals(3.2, LEXICON.meanRating("love"), 1e-12);
        assertEquals(20, LEXICON.ratings("ok").orElseThrow().length, "lines 350 and 4892");
        assertEquals(28.0 / 20, LEXICON.meanRating("ok"), 1e-12);
        assertEquals(2.4, LEXICON.meanRating("lmfao"), 1e-12, "from the ratings, not the column");
        assertTrue(LEXICON.ratings("moby").isEmpty());
        assertEquals(0, LEXICON.meanRating("moby"));
    }

    @Test
    void tokenizingFindsWordsEmoticonsAndPhrases() {
        assertEquals(List.of("i", "can't", "stand", "this", "movie", ":)", "great", "…"),
                LEXICON.words("I can't stand this MOVIE. :) \"Great!\" …"));
        assertEquals(List.of("can't stand", ":)", "great"), LEXICON.ratedTokens("I can't stand this MOVIE. :) \"Great!\" …"));
        assertEquals(List.of("fed up", "good", "good"), LEXICON.ratedTokens("Fed up.\nGood,\tgood"));
        assertEquals(List.of(), LEXICON.ratedTokens("  "));
        assertEquals(List.of("( '}{' )"), LEXICON.ratedTokens("( '}{' )"), "a three-piece emoticon");
    }

    @Test
    void badLexiconLinesAreNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("lex.txt");
        Files.writeString(f, "good\t1.9\t0.9\t[2, 1, 1, 3, 2, 4, 2, 2, 1, 1]\nbad\t-2.5\t0.7\t[-3, 5]\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> VaderLexicon.read(f));
        assertEquals(f + ":2: field \"ratings\": rating 5 is outside -4..4", e.getMessage());
        Files.writeString(f, "good 1.9 0.9 [2]\n");
        assertEquals(f + ":1: expected 4 tab-separated columns (token, mean, std, [ratings]), got 1",
                assertThrows(DatasetFormatException.class, () -> VaderLexicon.read(f)).getMessage());
        Files.writeString(f, "good\tx\t0.9\t[2]\n");
        assertEquals("mean", assertThrows(DatasetFormatException.class, () -> VaderLexicon.read(f)).field().orElseThrow());
        Files.writeString(f, "good\t2\t0.0\t[2]\n");
        assertEquals(2.0, VaderLexicon.read(f).meanRating("GOOD"));
    }

    @Test
    void eachUciDomainHas500PositiveAnd500NegativeSentences() {
        for (Domain d : Domain.values()) {
            List<UciSentences.Sentence> all = UciSentences.load(d);
            assertEquals(1000, all.size(), d.name());
            assertEquals(500, all.stream().filter(UciSentences.Sentence::positive).count(), d.name());
            for (UciSentences.Sentence s : all) {
                assertTrue(!s.text().isEmpty() && s.text().equals(s.text().strip()) && s.domain() == d, s.toString());
            }
        }
        UciSentences.Sentence first = UciSentences.load(Domain.IMDB).get(0);
        assertEquals("A very, very, very slow-moving, aimless movie about a distressed, drifting young man.", first.text());
        assertTrue(!first.positive());
    }

    @Test
    void uciPairsUseEverySentenceOnceAndHoldADomainOut() {
        List<PairwisePreference> pairs = UciSentences.pairs(Domain.YELP, 3);
        assertEquals(500, pairs.size());
        Set<String> positives = new HashSet<>(), negatives = new HashSet<>();
        for (UciSentences.Sentence s : UciSentences.load(Domain.YELP)) {
            (s.positive() ? positives : negatives).add(s.text());
        }
        Set<String> chosen = new HashSet<>(), rejected = new HashSet<>();
        for (PairwisePreference p : pairs) {
            assertEquals("", p.prompt());
            assertTrue(positives.contains(p.chosen()) && negatives.contains(p.rejected()), p.toString());
            chosen.add(p.chosen());
            rejected.add(p.rejected());
        }
        assertEquals(positives.size(), chosen.size(), "each positive sentence once (duplicates in the data collapse)");
        assertEquals(negatives.size(), rejected.size());
        assertEquals(pairs, UciSentences.pairs(Domain.YELP, 3), "same seed, same pairs");
        assertNotEquals(pairs, UciSentences.pairs(Domain.YELP, 4));

        UciSentences.Split split = UciSentences.split(Domain.AMAZON, 3);
        assertEquals(1000, split.train().size());
        assertEquals(UciSentences.pairs(Domain.AMAZON, 3), split.heldOut());
        Set<String> amazon = new HashSet<>();
        UciSentences.load(Domain.AMAZON).forEach(s -> amazon.add(s.text()));
        Set<PairwisePreference> others = new HashSet<>(UciSentences.pairs(Domain.IMDB, 3));
        others.addAll(UciSentences.pairs(Domain.YELP, 3));
        assertEquals(others, new HashSet<>(split.train()), "the two other domains' pairs, shuffled together");
        assertNotEquals(List.copyOf(others), split.train());
        assertTrue(split.train().stream().noneMatch(p -> amazon.contains(p.chosen()) && amazon.contains(p.rejected())),
                "no held-out pair in training");
    }

    @Test
    void theTrailingPlaceholderIsDroppedAndOnlyIt() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String ok = "[{\"text\": \"Great. \", \"class\": 1}, {\"text\": \"\", \"class\": null}]";
        assertEquals(List.of(new UciSentences.Sentence(Domain.IMDB, "Great.", true)),
                UciSentences.parse(json.readTree(ok), Domain.IMDB, "t.json"));
        String early = "[{\"text\": \"\", \"class\": null}, {\"text\": \"Great.\", \"class\": 1}]";
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> UciSentences.parse(json.readTree(early), Domain.IMDB, "t.json"));
        assertEquals("[0].text", e.field().orElseThrow());
        String label = "[{\"text\": \"Great.\", \"class\": 2}]";
        assertEquals("[0].class", assertThrows(DatasetFormatException.class,
                () -> UciSentences.parse(json.readTree(label), Domain.IMDB, "t.json")).field().orElseThrow());
    }

    @Test
    void filesMatchTheFetchScriptAndNoticeCreditsThem() throws Exception {
        String script = Files.readString(Path.of("scripts", "fetch-feedback-data.sh"));
        for (String file : List.of("vader/vader_lexicon.txt", "uci/imdb.json", "uci/yelp.json", "uci/amazon.json")) {
            String sum = sha256("/org/rlhf4j/feedback/" + file);
            assertTrue(script.contains(" " + sum + " $RES/" + file + "\""), file + " " + sum);
        }
        String notice = Files.readString(Path.of("NOTICE"));
        for (String credit : List.of("npm vader-sentiment@1.1.3", "npm sentiment@5.0.2", "Hutto", "Gilbert",
                "ICWSM", "Kotzias", "KDD 2015", "CC BY 4.0", "Apache License", "MIT")) {
            assertTrue(notice.contains(credit), credit);
        }
        assertTrue(script.contains("VADER_PKG=vader-sentiment@1.1.3\n") && script.contains("UCI_PKG=sentiment@5.0.2\n"));
    }

    private static String sha256(String resource) throws Exception {
        try (InputStream in = BundledFeedbackDataTest.class.getResourceAsStream(resource)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
