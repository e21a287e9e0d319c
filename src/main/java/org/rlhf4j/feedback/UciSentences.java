package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.tensor.Generator;

/**
 * Human-labelled sentences as a direct source of preferences: the UCI "Sentiment Labelled Sentences"
 * (Kotzias, Denil, de Freitas and Smyth, "From Group to Individual Labels Using Deep Features", KDD 2015;
 * CC BY 4.0), 1,000 review sentences from each of IMDb, Yelp and Amazon, each labelled positive or
 * negative by people, 500 of each. Bundled as npm {@code sentiment@5.0.2} ships them in its test
 * fixtures: a JSON array of {@code {"text", "class": 0 | 1}} whose last item is an empty placeholder
 * ({@code {"text": "", "class": null}}), dropped here. Texts are stripped of the spaces that end most of them.
 *
 * <p>A pair puts a positive sentence as {@code chosen} and a negative one as {@code rejected}, with an
 * empty prompt (TRL's prompt-less pairwise form): a reward model trained on such pairs learns the
 * labellers' notion of "positive". Keep one domain out to test whether it transfers.
 */
public final class UciSentences {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The three domains, by the file each came from. */
    public enum Domain {
        IMDB, YELP, AMAZON;

        /** The bundled resource's file name, e.g. {@code imdb.json}. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT) + ".json";
        }
    }

    /** One labelled sentence. */
    public record Sentence(Domain domain, String text, boolean positive) {
    }

    /** Training pairs from two domains and held-out pairs from the third. */
    public record Split(Domain heldOutDomain, List<PairwisePreference> train, List<PairwisePreference> heldOut) {
        public Split {
            train = List.copyOf(train);
            heldOut = List.copyOf(heldOut);
        }
    }

    private UciSentences() {
    }

    /** The 1,000 sentences of a domain, in file order. */
    public static List<Sentence> load(Domain domain) {
        String resource = "/org/rlhf4j/feedback/uci/" + domain.fileName();
        JsonNode array;
        try (InputStream in = UciSentences.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the classpath");
            }
            array = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the bundled resource " + resource, e);
        }
        return parse(array, domain, domain.fileName());
    }

    static List<Sentence> parse(JsonNode array, Domain domain, String name) {
        if (array == null || !array.isArray()) {
            throw new DatasetFormatException(name, 1, null, "expected a JSON array of {\"text\", \"class\"}");
        }
        List<Sentence> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            JsonNode text = item.get("text"), label = item.get("class");
            boolean placeholder = i == array.size() - 1 && text != null && text.isTextual() && text.asText().isEmpty()
                    && (label == null || label.isNull());
            if (placeholder) {
                continue;
            }
            if (text == null || !text.isTextual() || text.asText().isBlank()) {
                throw new DatasetFormatException(name, 1, "[" + i + "].text", "must be a non-empty string");
            }
            if (label == null || !label.isInt() || (label.intValue() != 0 && label.intValue() != 1)) {
                throw new DatasetFormatException(name, 1, "[" + i + "].class", "must be 0 or 1, got " + label);
            }
            out.add(new Sentence(domain, text.asText().strip(), label.intValue() == 1));
        }
        return out;
    }

    /**
     * Every sentence of a domain in one (positive, negative) pair: the positives and the negatives are
     * each shuffled with a generator seeded by {@code seed}, then zipped, so the domain's 500 + 500
     * sentences make 500 pairs, each sentence used once. The same seed gives the same pairs.
     */
    public static List<PairwisePreference> pairs(Domain domain, long seed) {
        List<String> positive = new ArrayList<>(), negative = new ArrayList<>();
        for (Sentence s : load(domain)) {
            (s.positive() ? positive : negative).add(s.text());
        }
        Generator g = new Generator(Draws.derive(seed, domain.ordinal()));
        Draws.shuffle(positive, g);
        Draws.shuffle(negative, g);
        List<PairwisePreference> out = new ArrayList<>();
        for (int i = 0; i < Math.min(positive.size(), negative.size()); i++) {
            out.add(new PairwisePreference("", positive.get(i), negative.get(i)));
        }
        return out;
    }

    /**
     * Pairs for training from the two other domains (1,000 pairs, shuffled together) and the held-out
     * domain's 500 pairs for evaluation: the reward model never sees a sentence of the held-out domain.
     */
    public static Split split(Domain heldOut, long seed) {
        List<PairwisePreference> train = new ArrayList<>();
        for (Domain d : Domain.values()) {
            if (d != heldOut) {
                train.addAll(pairs(d, seed));
            }
        }
        Draws.shuffle(train, new Generator(Draws.derive(seed, Domain.values().length)));
        return new Split(heldOut, train, pairs(heldOut, seed));
    }
}
