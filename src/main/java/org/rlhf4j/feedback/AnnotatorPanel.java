package org.rlhf4j.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * N simulated annotators labelling together, as a crowd of people would, with an optional ground truth
 * to measure them against. {@link #vader} builds the default panel: N {@link VaderAnnotator}s whose
 * seeds are derived from one seed ({@code Draws.derive}, SplitMix64), so the whole panel is reproducible,
 * and {@link VaderAnnotator#groundTruth} (the mean ratings) as the truth.
 *
 * <p>{@link #label} turns items into rankings in one of three ways ({@link Aggregation}); {@link #agreement}
 * has every annotator rank every item and reports how often they agree with each other and with the truth.
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
         * annotators put below them (Copeland's rule), ties broken by mean rank (Borda), then by index.
         */
        MAJORITY
    }

    private final List<Annotator> annotators;
    private final Annotator groundTruth;

    /** A panel of {@code annotators}, measured against {@code groundTruth} (may be null: no truth known). */
    public AnnotatorPanel(List<Annotator> annotators, Annotator groundTruth) {
        if (annotators == null || annotators.isEmpty() || annotators.stream().anyMatch(a -> a == null)) {
            throw new IllegalArgumentException("a panel needs at least one annotator, and no null");
        }
        this.annotators = List.copyOf(annotators);
        this.groundTruth = groundTruth;
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
        return new AnnotatorPanel(members, VaderAnnotator.groundTruth(lexicon));
    }

    public List<Annotator> annotators() {
        return annotators;
    }

    public Optional<Annotator> groundTruth() {
        return Optional.ofNullable(groundTruth);
    }

    /** One ranking per item, in item order. */
    public List<RankedPreference> label(List<Candidates> items, Aggregation how) {
        List<RankedPreference> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Candidates item = items.get(i);
            out.add(switch (how) {
                case ROUND_ROBIN -> annotators.get(i % annotators.size()).rank(item.prompt(), item.completions());
                case MEAN -> byMeanScore(item);
                case MAJORITY -> byMajority(item);
            });
        }
        return out;
    }

    private RankedPreference byMeanScore(Candidates item) {
        double[] mean = new double[item.size()];
        for (Annotator a : annotators) {
            for (int c = 0; c < mean.length; c++) {
                mean[c] += a.score(item.prompt(), item.completions().get(c)) / annotators.size();
            }
        }
        return new RankedPreference(item.prompt(), item.completions(), Annotator.rankingOf(mean));
    }

    private RankedPreference byMajority(Candidates item) {
        int k = item.size();
        int[][] ahead = new int[k][k]; // ahead[x][y]: annotators ranking x above y
        double[] meanRank = new double[k];
        for (Annotator a : annotators) {
            int[] pos = Kendall.positions(a.rank(item.prompt(), item.completions()).ranking(), k);
            for (int x = 0; x < k; x++) {
                meanRank[x] += (double) pos[x] / annotators.size();
                for (int y = 0; y < k; y++) {
                    if (pos[x] < pos[y]) {
                        ahead[x][y]++;
                    }
                }
            }
        }
        double[] score = new double[k];
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                if (x != y) { // Copeland: a majority win counts 1, a tie 1/2
                    score[x] += ahead[x][y] > ahead[y][x] ? 1 : ahead[x][y] == ahead[y][x] ? 0.5 : 0;
                }
            }
            score[x] -= meanRank[x] / (2.0 * k); // Borda tie-break: differences < 1/2, never overturn a Copeland step
        }
        return new RankedPreference(item.prompt(), item.completions(), Annotator.rankingOf(score));
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

    /** Every annotator (and the ground truth) ranks every item; see {@link AgreementReport} for the measures. */
    public AgreementReport agreement(List<Candidates> items) {
        int n = annotators.size();
        List<List<List<Integer>>> rankings = new ArrayList<>(); // [annotator][item] -> ranking
        for (Annotator a : annotators) {
            List<List<Integer>> mine = new ArrayList<>(items.size());
            for (Candidates item : items) {
                mine.add(a.rank(item.prompt(), item.completions()).ranking());
            }
            rankings.add(mine);
        }
        long pairs = 0;
        for (Candidates item : items) {
            pairs += Kendall.pairs(item.size());
        }
        // 1. between annotators: pooled pair agreement, and tau-a averaged over items
        double agreeSum = 0, tauSum = 0;
        int annotatorPairs = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                long same = 0;
                double tau = 0;
                for (int i = 0; i < items.size(); i++) {
                    same += Kendall.concordant(rankings.get(a).get(i), rankings.get(b).get(i));
                    tau += Kendall.tauA(rankings.get(a).get(i), rankings.get(b).get(i));
                }
                agreeSum += (double) same / pairs;
                tauSum += tau / items.size();
                annotatorPairs++;
            }
        }
        double agreement = annotatorPairs == 0 || pairs == 0 ? Double.NaN : agreeSum / annotatorPairs;
        double tau = annotatorPairs == 0 || pairs == 0 ? Double.NaN : tauSum / annotatorPairs;
        // 2. against the truth, on the pairs it decides
        List<Double> withTruth = new ArrayList<>();
        double tied = Double.NaN;
        if (groundTruth != null) {
            long[] agree = new long[n];
            long decided = 0;
            for (int i = 0; i < items.size(); i++) {
                Candidates item = items.get(i);
                double[] truth = new double[item.size()];
                for (int c = 0; c < truth.length; c++) {
                    truth[c] = groundTruth.score(item.prompt(), item.completions().get(c));
                }
                int[][] pos = new int[n][];
                for (int a = 0; a < n; a++) {
                    pos[a] = Kendall.positions(rankings.get(a).get(i), truth.length);
                }
                for (int x = 0; x < truth.length; x++) {
                    for (int y = x + 1; y < truth.length; y++) {
                        if (truth[x] == truth[y]) {
                            continue;
                        }
                        decided++;
                        for (int a = 0; a < n; a++) {
                            if ((pos[a][x] < pos[a][y]) == (truth[x] > truth[y])) {
                                agree[a]++;
                            }
                        }
                    }
                }
            }
            for (int a = 0; a < n; a++) {
                withTruth.add(decided == 0 ? Double.NaN : (double) agree[a] / decided);
            }
            tied = pairs == 0 ? Double.NaN : (double) (pairs - decided) / pairs;
        }
        List<String> names = annotators.stream().map(Annotator::name).toList();
        return new AgreementReport(names, items.size(), pairs, agreement, tau, withTruth, tied);
    }
}
