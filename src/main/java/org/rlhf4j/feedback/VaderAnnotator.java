package org.rlhf4j.feedback;

import java.util.List;
import org.rlhf4j.tensor.Generator;

/**
 * A simulated person who prefers positive text, grounded in real human judgements. To score a
 * completion it finds the lexicon's tokens in it ({@link VaderLexicon#ratedTokens}) and, for each
 * occurrence, draws one of the ratings real raters gave that token, uniformly at random from its own
 * seeded generator, then adds the draws up. The spread between real raters (for "ok": 0, 0, 1, 1, 1, 4,
 * 3, 4, 1, 1) becomes this annotator's label noise; the ratings' means are the known ground truth
 * ({@link #groundTruth}), which a noiseless annotator would follow.
 *
 * <p>Why a sum and not a mean: VADER itself (Hutto and Gilbert, ICWSM 2014) sums the valences of a
 * text's words before squashing the sum into [-1, 1] with {@code x / sqrt(x^2 + 15)}, a function that
 * only grows, so ranking by the sum ranks as VADER's compound score would (without its rules for
 * negation, intensifiers and capitals). A mean would also let one mildly positive word outrank a
 * text full of praise with one neutral-ish word in it. Texts with no rated word score 0.
 *
 * <p>The prompt is not scored: the annotator judges the answer. Candidates scored equal are ranked in an
 * order drawn from the same generator ({@link #tieBreaker}). Not thread-safe (the generator).
 */
public final class VaderAnnotator implements Annotator {

    private final VaderLexicon lexicon;
    private final Generator generator;
    private final String name;

    /** An annotator drawing from a generator seeded with {@code seed}. */
    public VaderAnnotator(VaderLexicon lexicon, long seed) {
        this(lexicon, seed, "vader");
    }

    /** The same, with a name for reports (a panel names its members {@code vader#0}, {@code vader#1}, ...). */
    public VaderAnnotator(VaderLexicon lexicon, long seed, String name) {
        if (lexicon == null || name == null) {
            throw new IllegalArgumentException("lexicon and name must not be null");
        }
        this.lexicon = lexicon;
        this.generator = new Generator(seed);
        this.name = name;
    }

    /**
     * The noiseless annotator: each token scores its mean rating (the expectation of one draw), summed.
     * It is what the panel's noisy members agree with on average, so it is the ground truth of a
     * simulation. Deterministic and thread-safe.
     */
    public static Annotator groundTruth(VaderLexicon lexicon) {
        return Annotator.fromFunction("mean-ratings", (prompt, completion) -> {
            double sum = 0;
            for (String token : lexicon.ratedTokens(completion)) {
                sum += lexicon.meanRating(token);
            }
            return sum;
        });
    }

    @Override
    public String name() {
        return name;
    }

    /** Ties are broken with this annotator's own seeded generator, the one its ratings are drawn from. */
    @Override
    public Generator tieBreaker(String prompt, List<String> candidates) {
        return generator;
    }

    @Override
    public double score(String prompt, String completion) {
        double sum = 0;
        for (String token : lexicon.ratedTokens(completion)) {
            int[] ratings = lexicon.ratingsOrNull(token);
            sum += ratings[generator.nextInt(ratings.length)]; // one real rating, any of the raters
        }
        return sum;
    }
}
