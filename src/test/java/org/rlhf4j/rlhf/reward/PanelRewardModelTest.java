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
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.UciSentences;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.OwnKernels;
import org.rlhf4j.tensor.Generator;

/**
 * The simulated labelling loop of issue 4: a panel of VADER annotators (each rating a word by one of its
 * real raters' ratings, drawn at random) ranks K = 4 UCI sentences at a time, one annotator per item as
 * in a shared-out labelling job; a reward model trained on those noisy rankings then ranks held-out
 * items. Measured against the panel's ground truth (the mean ratings), on the pairs the truth decides.
 *
 * <p>Issue 4 asks that the model agree with the truth more often than a single annotator does. With a
 * trunk trained from scratch it does not (measured: model 0.72, one annotator 0.92, docs/reward-model.md):
 * one VADER annotator is noisy per word but already ranks 4 sentences as the mean ratings do 9 times in 10,
 * while the model must learn 7,500 word valences from 2,250 sentences. So this test pins what holds,
 * that the model learns the truth from noisy labels far above chance, and prints both figures; the
 * issue's comparison stays open (a pretrained trunk is the likely way to meet it).
 */
@ExtendWith(OwnKernels.class)
class PanelRewardModelTest {

    @Test
    void aRewardModelTrainedOnNoisyPanelLabelsLearnsTheirGroundTruth(@TempDir Path dir) throws IOException {
        List<String> sentences = new ArrayList<>();
        for (UciSentences.Domain d : UciSentences.Domain.values()) {
            UciSentences.load(d).forEach(s -> sentences.add(s.text()));
        }
        Generator gen = new Generator(3);
        for (int i = sentences.size() - 1; i > 0; i--) { // Fisher-Yates, seeded
            int j = gen.nextInt(i + 1);
            sentences.set(j, sentences.set(i, sentences.get(j)));
        }
        int K = 4, heldOutItems = 150;
        List<Candidates> items = new ArrayList<>();
        for (int i = 0; i + K <= sentences.size(); i += K) {
            items.add(new Candidates("", sentences.subList(i, i + K)));
        }
        List<Candidates> train = items.subList(heldOutItems, items.size()), heldOut = items.subList(0, heldOutItems);
        AnnotatorPanel panel = AnnotatorPanel.vader(VaderLexicon.bundled(), 5, 11);
        List<RankedPreference> labels = panel.label(train, AnnotatorPanel.Aggregation.ROUND_ROBIN);
        double labelAgreement = panel.agreementWithTruth(labels).orElseThrow();

        RewardModel model = RewardModel.fromScratch(UciRewardModelTest.SHAPE, Gpt2Tokenizer.bundled(), 128, 1);
        RewardTrainer.start(model, UciRewardModelTest.RECIPE.withMaxIters(120), labels, List.of(), dir,
                RewardListener.NONE).run();
        List<RankedPreference> byModel = new ArrayList<>(), byOne = new ArrayList<>();
        Annotator one = panel.annotators().get(0);
        for (Candidates c : heldOut) {
            byModel.add(Annotator.fromFunction("reward model", (p, r) -> model.score(p, r)).rank(c.prompt(), c.completions()));
            byOne.add(one.rank(c.prompt(), c.completions()));
        }
        double modelAgreement = panel.agreementWithTruth(byModel).orElseThrow();
        double oneAgreement = panel.agreementWithTruth(byOne).orElseThrow();
        System.out.printf(Locale.ROOT, "PanelRewardModelTest: agreement with the mean ratings on held-out pairs: "
                + "reward model %.3f, one annotator %.3f (training labels %.3f)%n", modelAgreement, oneAgreement,
                labelAgreement);
        assertTrue(modelAgreement > 0.65, "model " + modelAgreement + " vs one annotator " + oneAgreement);
    }
}
