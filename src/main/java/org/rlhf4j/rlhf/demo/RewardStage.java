package org.rlhf4j.rlhf.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.UciSentences;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.reward.RewardListener;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.rlhf.reward.RewardStepMetrics;
import org.rlhf4j.rlhf.reward.RewardTrainer;

/**
 * Stage 4: the reward model, a small GPT over GPT-2's byte-level BPE trained from scratch ({@link #SHAPE})
 * with a scalar head, on the panel's rankings ({@link RewardTrainer}; K-way rankings as all C(K,2) pairs):
 * of the policy's samples and of windows of the book ({@link BookWindows}), together with up to
 * {@code uciPairs} pairs of sentences people labelled ({@link UciPairs}; IMDB and Yelp, with Amazon held out
 * for an accuracy of its own). Its tokenizer is not the policy's: it scores strings, so PPO's value model
 * cannot copy it (the demo's PPO uses a value head on the policy). The last {@code rewardHoldOut} of the
 * samples' rankings are held out: accuracy on them is the reward model's accuracy against the panel on the
 * policy's own text, and, on the same samples, against the ground truth (the words' mean ratings, which
 * the panel's members follow with noise). Then it is normalized on the reference model's samples (all K
 * of every training prompt): they score mean 0, std 1. The run goes to {@code <dir>/reward}
 * (metrics.jsonl, checkpoint/).
 */
public final class RewardStage {

    /**
     * The reward model's shape: GPT-2's byte-level BPE (so it reads words, where the policy reads
     * characters), 1 layer, 2 heads, n_embd 32, block 64 (an 8-word window is about 10 to 30 tokens; the
     * policy's samples of 64 characters at most 64). Trained from scratch: the issue allows a trunk
     * initialised from a pretrained checkpoint or from scratch, and the only pretrained trunk here is the
     * character model, which reads characters and learnt nothing from the few hundred rankings of its own
     * samples (held-out accuracy at chance), while this one learns the panel's preference from the book's
     * windows to about 0.9 (the reward package's PanelRewardModelTest, docs/reward-model.md).
     */
    static final GptConfig SHAPE = new GptConfig(50257, 64, 1, 2, 32, 0f, true, 1e-5f, 0.02f);

    /** Most held-out UCI pairs scored for accuracy. */
    static final int UCI_HELD_OUT = 200;

    /**
     * The trained reward model and its measures.
     *
     * @param heldOutAccuracy   pairwise accuracy on the held-out rankings (the panel's labels), NaN without
     * @param truthAccuracy     pairwise accuracy against the mean ratings on the held-out samples, over the
     *                          pairs those decide; NaN without
     * @param trainRankings     rankings trained on (the samples' and the windows')
     * @param windowRankings    of those, rankings of windows of the book
     * @param uciPairs          UCI labelled-sentence pairs trained on besides the panel's rankings
     * @param uciHeldOut        held-out UCI pairs (the Amazon domain, never trained on)
     * @param uciAccuracy       accuracy on them, NaN without
     * @param steps             logged steps
     * @param loss              training loss at each logged step
     * @param evalSteps         evaluated steps
     * @param evalAccuracy      held-out accuracy at each evaluated step
     * @param rawMean           mean raw reward of the reference samples before normalization
     * @param rawStd            their standard deviation
     */
    public record Result(RewardModel model, int trainRankings, int windowRankings, int uciPairs, int heldOutRankings,
                         double heldOutAccuracy, double truthAccuracy, int uciHeldOut, double uciAccuracy,
                         double[] steps, double[] loss, double[] evalSteps,
                         double[] evalAccuracy, double rawMean, double rawStd) {
    }

    private RewardStage() {
    }

    public static Result run(DemoConfig cfg, Pretraining.Result pretrained, List<Candidates> samples,
                             List<RankedPreference> labels, List<RankedPreference> windowLabels, Annotator truth,
                             Path dir, DemoListener listener)
            throws IOException {
        int heldOut = Math.min((int) Math.round(labels.size() * cfg.rewardHoldOut()), Math.max(0, labels.size() - 1));
        List<Preference> train = new ArrayList<>(labels.subList(0, labels.size() - heldOut));
        List<RankedPreference> eval = labels.subList(labels.size() - heldOut, labels.size());
        train.addAll(windowLabels);
        int maxLength = Math.min(cfg.reward().maxLength(), SHAPE.blockSize());
        RewardModel model = RewardModel.fromScratch(SHAPE, Gpt2Tokenizer.bundled(), maxLength,
                Seeds.derive(cfg.seed(), "reward-model"));
        List<PairwisePreference> uci = UciPairs.fitting(List.of(UciSentences.Domain.IMDB, UciSentences.Domain.YELP),
                model.tokenizer(), maxLength, cfg.uciPairs(), Seeds.derive(cfg.seed(), "uci"));
        List<PairwisePreference> uciHeldOut = cfg.uciPairs() == 0 ? List.of() : UciPairs.fitting(
                List.of(UciSentences.Domain.AMAZON), model.tokenizer(), maxLength, UCI_HELD_OUT,
                Seeds.derive(cfg.seed(), "uci-held-out"));
        train.addAll(uci);
        List<double[]> logged = new ArrayList<>(), evaluated = new ArrayList<>();
        RewardListener collect = new RewardListener() {
            @Override
            public void step(RewardStepMetrics m) {
                if (m.logged()) {
                    logged.add(new double[] {m.step(), m.loss()});
                }
                if (m.evaluated()) {
                    evaluated.add(new double[] {m.step(), m.evalAccuracy()});
                }
                listener.rewardStep(m);
            }
        };
        RewardTrainer trainer = RewardTrainer.start(model, cfg.reward(), train, eval, dir, collect);
        trainer.run();
        RewardStepMetrics last = trainer.lastMetrics();
        double heldOutAccuracy = last != null && last.evaluated() ? last.evalAccuracy() : Double.NaN;
        double truthAccuracy = truthAccuracy(model, eval, truth);
        double uciAccuracy = uciAccuracy(model, uciHeldOut);
        List<String> prompts = new ArrayList<>(), responses = new ArrayList<>();
        for (Candidates c : samples) {
            for (String r : c.completions()) {
                prompts.add(c.prompt());
                responses.add(r);
            }
        }
        double[] ms = trainer.normalize(prompts, responses);
        return new Result(model, train.size() - uci.size(), windowLabels.size(), uci.size(), eval.size(), heldOutAccuracy, truthAccuracy,
                uciHeldOut.size(), uciAccuracy,
                Pretraining.column(logged, 0), Pretraining.column(logged, 1), Pretraining.column(evaluated, 0),
                Pretraining.column(evaluated, 1), ms[0], ms[1]);
    }

    /** The share of pairs whose chosen sentence the model scores above the rejected one; NaN without pairs. */
    static double uciAccuracy(RewardModel model, List<PairwisePreference> pairs) {
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        List<String> none = pairs.stream().map(p -> "").toList();
        float[] chosen = model.rawScores(none, pairs.stream().map(PairwisePreference::chosen).toList());
        float[] rejected = model.rawScores(none, pairs.stream().map(PairwisePreference::rejected).toList());
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return (double) right / chosen.length;
    }

    /** Of the pairs of held-out samples that {@code truth} scores differently, how many the model orders alike. */
    static double truthAccuracy(RewardModel model, List<RankedPreference> heldOut, Annotator truth) {
        long agree = 0, decided = 0;
        for (RankedPreference r : heldOut) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                prompts.add(r.prompt());
            }
            float[] s = model.rawScores(prompts, r.completions());
            for (int x = 0; x < r.size(); x++) {
                for (int y = x + 1; y < r.size(); y++) {
                    double tx = truth.score(r.prompt(), r.completions().get(x));
                    double ty = truth.score(r.prompt(), r.completions().get(y));
                    if (tx != ty) {
                        decided++;
                        agree += (s[x] > s[y]) == (tx > ty) ? 1 : 0;
                    }
                }
            }
        }
        return decided == 0 ? Double.NaN : (double) agree / decided;
    }
}
