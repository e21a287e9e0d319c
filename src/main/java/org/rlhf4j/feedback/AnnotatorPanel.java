package org.rlhf4j.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.rlhf4j.tensor.Generator;

/**
 * N simulated annotators labelling together, as a crowd of people would, with an optional ground truth
 * to measure them against. {@link #vader} builds the default panel: N {@link VaderAnnotator}s whose
 * seeds are derived from one seed ({@code Draws.derive}, SplitMix64), so the whole panel is reproducible,
 * and {@link VaderAnnotator#groundTruth} (the mean ratings) as the truth.
 *
 * <p>{@link #labelAll} turns items into rankings in one of three ways ({@link Aggregation}), leaving out
 * the items the scores do not decide; {@link #agreement} has every annotator score every item and reports
 * how often they agree with each other and with the truth, on the candidate pairs both sides decide.
 * Both consume the annotators' random draws, so calling them in another order gives other (equally valid)
 * labels; the same calls in the same order give the same labels.
 */
public final class AnnotatorPanel {

    /** How the panel turns one item into one ranking. */
    public enum Aggregation {
        /**
         * Item i is ranked by annotator i mod N alone: one person per item, as in a labelling job where the
         * work is shared out. The labels carry one annotator's noise. Round robin rather than a random
         * choice, so every annotator labels the same share (up to one item).
         */
        ROUND_ROBIN,
        /** Every annotator scores every candidate; the candidates are ranked by their mean score. */
        MEAN,
        /**
         * Every annotator ranks the item; candidates are ordered by how many others a majority of
         * annotators score below them (Copeland's rule), ties broken by Borda count, then at random.
         */
        MAJORITY
    }

    /**
     * What {@link #labelAll} made of a list of items.
     *
     * @param rankings  one ranking per decided item, in item order
     * @param undecided the indices of the items left out because the scores that would have ranked them
     *                  all tie (the annotator, or the panel's aggregate, has no preference among the
     *                  candidates: a ranking would be noise, or worse, the order they came in)
     */
    public record Labels(List<RankedPreference> rankings, List<Integer> undecided) {
        public Labels {
            rankings = List.copyOf(rankings);
            undecided = List.copyOf(undecided);
        }
    }

    private final List<Annotator> annotators;
    private final Annotator groundTruth;
    private final Generator tieBreaker;

    /**
     * A panel of {@code annotators}, measured against {@code groundTruth} (may be null: no truth known);
     * the ties of {@link Aggregation#MEAN} and {@link Aggregation#MAJORITY} are broken with a generator
     * seeded 0.
     */
    public AnnotatorPanel(List<Annotator> annotators, Annotator groundTruth) {
        this(annotators, groundTruth, 0);
    }

    /** The same, with the aggregate's tie-breaking generator seeded with {@code seed}. */
    public AnnotatorPanel(List<Annotator> annotators, Annotator groundTruth, long seed) {
        if (annotators == null || annotators.isEmpty() || annotators.stream().anyMatch(a -> a == null)) {
            throw new IllegalArgumentException("a panel needs at least one annotator, and no null");
        }
        this.annotators = List.copyOf(annotators);
        this.groundTruth = groundTruth;
        this.tieBreaker = new Generator(seed);
    }

    /** {@code size} VADER annotators ({@code vader#0} ...) seeded from {@code seed}, against the mean ratings. */
    public static AnnotatorPanel vader(VaderLexicon lexicon, int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("the panel size must be >= 1, got " + size);
        }
        List<Annotator> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new VaderAnnotator(lexicon, Draws.derive(seed, i), "vader#" + i));
        }
        return new AnnotatorPanel(members, VaderAnnotator.groundTruth(lexicon), Draws.derive(seed, -1));
    }

    public List<Annotator> annotators() {
        return annotators;
    }

    public Optional<Annotator> groundTruth() {
        return Optional.ofNullable(groundTruth);
    }

    /**
     * One ranking per decided item, in item order: {@link #labelAll}'s rankings. Items whose scores all
     * tie are left out, so the result may be shorter than {@code items}; use {@link #labelAll} to learn
     * which.
     */
    public List<RankedPreference> label(List<Candidates> items, Aggregation how) {
        return labelAll(items, how).rankings();
    }

    /**
     * Ranks every item, and leaves out those the scores do not decide at all: with
     * {@link Aggregation#ROUND_ROBIN}, an item whose annotator scores every candidate equal (a VADER
     * annotator finds no rated word in any of them); with {@link Aggregation#MEAN} and
     * {@link Aggregation#MAJORITY}, an item whose aggregate scores all tie (every annotator indifferent,
     * or a perfect Condorcet cycle). Partial ties are broken at random, by the annotator's own generator
     * ({@link Annotator#tieBreaker}) or the panel's, never by position.
     */
    public Labels labelAll(List<Candidates> items, Aggregation how) {
        List<RankedPreference> out = new ArrayList<>(items.size());
        List<Integer> undecided = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Candidates item = items.get(i);
            Annotator one = annotators.get(i % annotators.size());
            double[] score = switch (how) {
                case ROUND_ROBIN -> one.scores(item.prompt(), item.completions());
                case MEAN -> meanScores(item);
                case MAJORITY -> majorityScores(item);
            };
            if (Annotator.allTied(score)) {
                undecided.add(i);
                continue;
            }
            Generator ties = how == Aggregation.ROUND_ROBIN ? one.tieBreaker(item.prompt(), item.completions()) : tieBreaker;
            out.add(new RankedPreference(item.prompt(), item.completions(), Annotator.rankingOf(score, ties)));
        }
        return new Labels(out, undecided);
    }

    private double[] meanScores(Candidates item) {
        double[] mean = new double[item.size()];
        for (Annotator a : annotators) {
            double[] s = a.scores(item.prompt(), item.completions());
            for (int c = 0; c < mean.length; c++) {
                mean[c] += s[c] / annotators.size();
            }
        }
        return mean;
    }

    /**
     * Copeland's rule on the annotators' scores: x beats y when more annotators score x above y than y above
     * x (an annotator who scores them equal abstains on that pair); a win counts 1, a tie 1/2. Ties of
     * Copeland scores are broken by Borda (net pairs won, summed over annotators), scaled to move a score
     * by less than 1/2, so it never overturns a Copeland step.
     */
    private double[] majorityScores(Candidates item) {
        int k = item.size();
        int[][] ahead = new int[k][k]; // ahead[x][y]: annotators scoring x above y
        for (Annotator a : annotators) {
            double[] s = a.scores(item.prompt(), item.completions());
            for (int x = 0; x < k; x++) {
                for (int y = 0; y < k; y++) {
                    if (s[x] > s[y]) {
                        ahead[x][y]++;
                    }
                }
            }
        }
        double[] score = new double[k];
        double bordaSpan = 2.0 * (k - 1) * annotators.size() + 1; // |net wins| <= (k-1) * N
        for (int x = 0; x < k; x++) {
            long net = 0;
            for (int y = 0; y < k; y++) {
                if (x != y) { // Copeland: a majority win counts 1, a tie 1/2
                    score[x] += ahead[x][y] > ahead[y][x] ? 1 : ahead[x][y] == ahead[y][x] ? 0.5 : 0;
                    net += ahead[x][y] - ahead[y][x];
                }
            }
            score[x] += net / (2.0 * bordaSpan); // Borda tie-break, |shift| < 1/2
        }
        return score;
    }

    /**
     * How often labels (from {@link #label}, or from people) order a candidate pair as the ground truth
     * does, over the pairs the truth decides (scores differently); empty without a ground truth or
     * when it decides no pair. This is what the labels a reward model will learn from are worth.
     */
    public OptionalDouble agreementWithTruth(List<RankedPreference> labels) {
        if (groundTruth == null) {
            return OptionalDouble.empty();
        }
        long agree = 0, decided = 0;
        for (RankedPreference r : labels) {
            int[] pos = Kendall.positions(r.ranking(), r.size());
            double[] truth = new double[r.size()];
            for (int c = 0; c < truth.length; c++) {
                truth[c] = groundTruth.score(r.prompt(), r.completions().get(c));
            }
            for (int x = 0; x < truth.length; x++) {
                for (int y = x + 1; y < truth.length; y++) {
                    if (truth[x] != truth[y]) {
                        decided++;
                        agree += (pos[x] < pos[y]) == (truth[x] > truth[y]) ? 1 : 0;
                    }
                }
            }
        }
        return decided == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) agree / decided);
    }

    /**
     * Every annotator (and the ground truth) scores every item once; see {@link AgreementReport} for the
     * measures. Only pairs that both sides decide (score differently) count: two annotators who both
     * score a pair equal have not agreed on anything.
     */
    public AgreementReport agreement(List<Candidates> items) {
        int n = annotators.size();
        double[][][] scores = new double[n][items.size()][]; // [annotator][item] -> scores
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < items.size(); i++) {
                scores[a][i] = annotators.get(a).scores(items.get(i).prompt(), items.get(i).completions());
            }
        }
        long pairs = 0;
        for (Candidates item : items) {
            pairs += Kendall.pairs(item.size());
        }
        // 1. between annotators: pooled agreement over the pairs both decide, tau-b averaged over items
        double agreeSum = 0, tauSum = 0, bothSum = 0;
        int agreeTerms = 0, tauTerms = 0, annotatorPairs = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                long same = 0, both = 0;
                double tau = 0;
                int tauItems = 0;
                for (int i = 0; i < items.size(); i++) {
                    Kendall.Counts c = Kendall.count(scores[a][i], scores[b][i]);
                    same += c.concordant();
                    both += c.decidedByBoth();
                    double t = c.tauB();
                    if (!Double.isNaN(t)) { // undefined when either annotator ties every pair of the item
                        tau += t;
                        tauItems++;
                    }
                }
                annotatorPairs++;
                bothSum += pairs == 0 ? 0 : (double) both / pairs;
                if (both > 0) {
                    agreeSum += (double) same / both;
                    agreeTerms++;
                }
                if (tauItems > 0) {
                    tauSum += tau / tauItems;
                    tauTerms++;
                }
            }
        }
        double agreement = agreeTerms == 0 ? Double.NaN : agreeSum / agreeTerms;
        double tau = tauTerms == 0 ? Double.NaN : tauSum / tauTerms;
        double decidedByBoth = annotatorPairs == 0 || pairs == 0 ? Double.NaN : bothSum / annotatorPairs;
        // 2. against the truth, on the pairs it decides; a pair the annotator ties would be ordered at random
        //    in its labels, so it counts 1/2 (the chance that order is right), as for any ranker that ties
        List<Double> withTruth = new ArrayList<>();
        double tied = Double.NaN;
        if (groundTruth != null) {
            double[] agree = new double[n];
            long truthDecided = 0;
            for (int i = 0; i < items.size(); i++) {
                Candidates item = items.get(i);
                double[] truth = groundTruth.scores(item.prompt(), item.completions());
                long decidedHere = Kendall.pairs(truth.length) - Kendall.count(truth, truth).tiedFirst();
                truthDecided += decidedHere;
                for (int a = 0; a < n; a++) {
                    Kendall.Counts c = Kendall.count(scores[a][i], truth);
                    agree[a] += c.concordant() + 0.5 * (decidedHere - c.decidedByBoth());
                }
            }
            for (int a = 0; a < n; a++) {
                withTruth.add(truthDecided == 0 ? Double.NaN : agree[a] / truthDecided);
            }
            tied = pairs == 0 ? Double.NaN : (double) (pairs - truthDecided) / pairs;
        }
        List<String> names = annotators.stream().map(Annotator::name).toList();
        return new AgreementReport(names, items.size(), pairs, agreement, tau, withTruth, tied, decidedByBoth);
    }
}
