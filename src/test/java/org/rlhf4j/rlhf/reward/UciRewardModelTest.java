package org.rlhf4j.rlhf.reward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.UciSentences;
import org.rlhf4j.feedback.VaderAnnotator;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.rlhf.RewardSource;

/**
 * Real human labels: a reward model trained from scratch on the UCI sentences of two domains (each
 * (positive, negative) pair a preference), evaluated on the third domain's 500 pairs, which it never saw,
 * next to the VADER baseline on the same pairs (the sum of the mean human ratings of the lexicon words
 * in a sentence, {@link VaderAnnotator#groundTruth}, as a {@link RewardSource} function). Each domain
 * takes a few seconds; docs/reward-model.md records the figures.
 */
@ExtendWith(OwnKernels.class)
class UciRewardModelTest {

    /** 1 layer, 2 heads, C 32 over GPT-2's BPE; block 128 (no UCI sentence is longer). */
    static final GptConfig SHAPE = new GptConfig(50257, 128, 1, 2, 32, 0f, true, 1e-5f, 0.02f);

    static final RewardConfig RECIPE = RewardConfig.fromScratch().withMaxIters(60).withBatchSize(32).withLr(3e-3)
            .withMaxLength(128, OverLength.DROP).withIntervals(60, 10, 0);

    @Test
    void heldOutDomainAccuracyNextToTheVaderBaseline(@TempDir Path dir) throws IOException {
        RewardSource vader = RewardSource.fromFunction(VaderAnnotator.groundTruth(VaderLexicon.bundled())::score);
        StringBuilder table = new StringBuilder("held out   reward model (acc, margin)   VADER mean ratings (acc, ties)\n");
        for (UciSentences.Domain held : UciSentences.Domain.values()) {
            UciSentences.Split split = UciSentences.split(held, 1);
            List<Preference> train = new ArrayList<>(split.train());
            for (UciSentences.Domain d : UciSentences.Domain.values()) { // a second pairing of the same sentences
                if (d != held) {
                    train.addAll(UciSentences.pairs(d, 2));
                }
            }
            RewardModel model = RewardModel.fromScratch(SHAPE, Gpt2Tokenizer.bundled(), 128, 1);
            RewardTrainer t = RewardTrainer.start(model, RECIPE, train, split.heldOut(), dir.resolve(held.name()),
                    RewardListener.NONE);
            long t0 = System.nanoTime();
            t.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            RewardStepMetrics m = t.lastMetrics();
            double[] base = pairAccuracy(vader, split.heldOut());
            table.append(String.format(Locale.ROOT, "%-9s  %.3f, %.2f (%.1f s)            %.3f, %.3f%n",
                    held, m.evalAccuracy(), m.evalMargin(), seconds, base[0], base[1]));
            assertTrue(m.evalAccuracy() > 0.68, held + ": held-out accuracy " + m.evalAccuracy());
            assertTrue(base[0] > 0.75, held + ": VADER baseline " + base[0]);
        }
        System.out.print("UciRewardModelTest (2 domains -> the third, 500 held-out pairs):\n" + table);
    }

    /** {fraction of pairs with score(chosen) > score(rejected), fraction of ties}. */
    static double[] pairAccuracy(RewardSource source, List<PairwisePreference> pairs) {
        List<String> prompts = new ArrayList<>(), chosen = new ArrayList<>(), rejected = new ArrayList<>();
        for (PairwisePreference p : pairs) {
            prompts.add(p.prompt());
            chosen.add(p.chosen());
            rejected.add(p.rejected());
        }
        float[] c = source.score(prompts, chosen), r = source.score(prompts, rejected);
        int wins = 0, ties = 0;
        for (int i = 0; i < c.length; i++) {
            wins += c[i] > r[i] ? 1 : 0;
            ties += c[i] == r[i] ? 1 : 0;
        }
        return new double[] {(double) wins / c.length, (double) ties / c.length};
    }
}
