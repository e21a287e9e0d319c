package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;
import org.rlhf4j.feedback.AgreementReport;
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;

/**
 * The simulated labelling loop of issue 4: a panel of 5 VADER annotators (each rating a word by one of its
 * real raters' ratings, drawn at random) ranks K = 4 candidate texts at a time, ONE annotator per item
 * (round robin, as in a shared-out labelling job, so every label carries one person's noise); a reward
 * model trained on those rankings then ranks held-out items, whose texts it never saw. Every ranker is
 * measured against the panel's ground truth (the sum of the mean ratings) on the same held-out pairs,
 * over the pairs the truth decides.
 *
 * <p>The model's advantage is denoising: one annotator judges each held-out word by a single draw, while
 * the model has seen each word of the vocabulary judged by many draws across 20,000 labelled items (labels
 * are cheap in a simulation). That only works for words that recur, so the candidates are short windows of
 * Moby-Dick restricted to a recurring rated vocabulary ({@link MobyDickWindows}, docs/reward-model.md).
 * The test asserts that the model beats the BEST of the 5 annotators, not only one of them. Measured,
 * seed 1: model 0.903, annotators 0.860 to 0.879 (seeds 2 and 3 and what the result depends on are in
 * docs/reward-model.md). It takes the 600 training steps (about 30 s on a quiet 2-core machine, up to 90 s
 * on a busy one) plus about 5 s.
 */
@ExtendWith(OwnKernels.class)
class PanelRewardModelTest {

    static final int K = 4, WINDOW_WORDS = 8, VOCABULARY = 200, PANEL = 5;
    static final int TRAIN_ITEMS = 20_000, HELD_OUT_ITEMS = 250;

    /** 1 layer, 2 heads, C 32 over GPT-2's BPE; block 64 (an 8-word window is at most about 30 tokens). */
    static final GptConfig SHAPE = new GptConfig(50257, 64, 1, 2, 32, 0f, true, 1e-5f, 0.02f);

    /** 600 steps of 32 items: each training item is seen about once. */
    static final RewardConfig RECIPE = RewardConfig.fromScratch().withMaxIters(600).withBatchSize(32).withLr(3e-3)
            .withMaxLength(64, OverLength.DROP).withIntervals(600, 50, 0);

    /**
     * One run's figures: agreement with the ground truth on the held-out pairs it decides.
     *
     * @param model      the reward model trained on the panel's round-robin labels
     * @param annotators each panel member ranking the same held-out items (vader#0 first)
     * @param labels     the training labels themselves
     * @param dropped    training items the encoder dropped as over-long (0: the model saw every label)
     * @param seconds    the reward model's training time
     */
    record Figures(double model, List<Double> annotators, double labels, int dropped, double seconds) {

        double bestAnnotator() {
            return Collections.max(annotators);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "reward model %.3f, annotators %s (best %.3f), training labels %.3f, "
                    + "training %.1f s", model, annotators.stream().map(a -> String.format(Locale.ROOT, "%.3f", a))
                    .toList(), bestAnnotator(), labels, seconds);
        }
    }

    @Test
    void aRewardModelTrainedOnOneAnnotatorPerItemAgreesWithTheTruthMoreThanAnyOneAnnotator(@TempDir Path dir)
            throws IOException {
        Figures f = measure(1, VOCABULARY, TRAIN_ITEMS, dir);
        System.out.println("PanelRewardModelTest (seed 1), agreement with the mean ratings on held-out pairs: " + f);
        assertEquals(0, f.dropped(), "no training item may be dropped as over-long");
        assertTrue(f.model() > f.bestAnnotator(), f.toString());
        assertTrue(f.labels() < f.bestAnnotator() + 0.03, "the labels should be as noisy as one annotator: " + f);
    }

    /**
     * The whole experiment from one seed (items, panel, model initialisation and batch order), with the
     * vocabulary size and the number of labelled items as parameters so that docs/reward-model.md can say
     * what they do (the test uses {@link #VOCABULARY} and {@link #TRAIN_ITEMS}).
     */
    static Figures measure(long seed, int vocabulary, int trainItems, Path dir) throws IOException {
        VaderLexicon lexicon = VaderLexicon.bundled();
        MobyDickWindows.Pools pools = MobyDickWindows.pools(lexicon, WINDOW_WORDS, vocabulary, 0.9);
        Generator gen = new Generator(seed);
        List<Candidates> train = MobyDickWindows.items(pools.train(), trainItems, K, gen);
        List<Candidates> heldOut = MobyDickWindows.items(pools.heldOut(), HELD_OUT_ITEMS, K, gen);
        AnnotatorPanel panel = AnnotatorPanel.vader(lexicon, PANEL, 1000 + seed);

        // 1. label: one annotator per item  2. train  3. every ranker ranks the held-out items
        List<RankedPreference> labels = panel.label(train, AnnotatorPanel.Aggregation.ROUND_ROBIN);
        RewardModel model = RewardModel.fromScratch(SHAPE, Gpt2Tokenizer.bundled(), 64, seed);
        long t0 = System.nanoTime();
        RewardTrainer trainer = RewardTrainer.start(model, RECIPE.withSeed(seed), labels, List.of(), dir,
                RewardListener.NONE);
        trainer.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<RankedPreference> byModel = new ArrayList<>();
        for (Candidates c : heldOut) {
            float[] r = model.rawScores(Collections.nCopies(c.size(), c.prompt()), c.completions());
            double[] scores = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                scores[i] = r[i];
            }
            byModel.add(new RankedPreference(c.prompt(), c.completions(), Annotator.rankingOf(scores)));
        }
        AgreementReport byAnnotators = panel.agreement(heldOut);
        return new Figures(panel.agreementWithTruth(byModel).orElseThrow(), byAnnotators.agreementWithTruth(),
                panel.agreementWithTruth(labels).orElseThrow(), trainer.trainEncoding().dropped(), seconds);
    }
}
