package org.rlhf4j.rlhf.demo;

import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.reward.OverLength;
import org.rlhf4j.rlhf.reward.RewardConfig;
import org.rlhf4j.train.Recipe;
import org.rlhf4j.train.TrainConfig;

/**
 * Everything the demo does, validated on construction (a bad value names its field). Two presets:
 * {@link #standard()} (the full demo, sized to finish in minutes on 2 cores) and {@link #quick()} (a
 * seconds-long smoke run of every stage, for tests). {@link DemoOverrides} changes fields by name.
 *
 * @param pretrain         the model and its pretraining ({@code pretrain.*} keys); the vocabulary size is
 *                         set from the corpus
 * @param trainPrompts     prompts for feedback and PPO (first 90% of the book)
 * @param heldOutPrompts   prompts for evaluation only (last 10%)
 * @param promptChars      longest prompt in characters (a prompt is whole sentence-opening words)
 * @param completions      K, samples per training prompt that the panel ranks (InstructGPT: 4 to 9)
 * @param responseTokens   characters per response, in sampling, PPO rollouts and evaluation alike;
 *                         promptChars + responseTokens must fit the model's block size
 * @param temperature      sampling temperature everywhere (PPO's log-probs use it too)
 * @param panelSize        simulated annotators labelling the K samples
 * @param aggregation      how the panel turns K samples into one ranking
 * @param reward           how the reward model is trained (a GPT-2 BPE model from scratch, {@link RewardStage#SHAPE})
 * @param rewardHoldOut    fraction of the rankings kept out of reward-model training, for its accuracy
 * @param uciPairs         most pairs of UCI labelled sentences (IMDB, Yelp) the reward model trains on besides
 *                         the rankings; 0: the panel's rankings only ({@link UciPairs})
 * @param windowItems      items of K windows of the book (8 words each, {@link BookWindows}) that the panel
 *                         ranks besides the samples, for the reward model to learn which words it likes;
 *                         0: the samples' rankings only
 * @param ppo              the PPO stage; its config is stored as it runs, with maxNewTokens = responseTokens,
 *                         the temperature above and no stop token ({@link DemoPpo#effective}), so what this
 *                         config reports (summary.json's {@code config.ppo.config}) is what PPO used
 * @param evalSamples      samples per held-out prompt from each of reference and tuned policy
 * @param evalPanelSize    annotators of the fresh panel judging the head-to-heads
 * @param shownSamples     side-by-side pairs printed and shown in the report
 * @param seed             seeds everything (pretraining, prompt choice, sampling, panels, reward model, PPO)
 */
public record DemoConfig(Recipe pretrain, int trainPrompts, int heldOutPrompts, int promptChars, int completions,
                         int responseTokens, float temperature, int panelSize, AnnotatorPanel.Aggregation aggregation,
                         RewardConfig reward, double rewardHoldOut, int uciPairs, int windowItems, DemoPpo ppo, int evalSamples, int evalPanelSize,
                         int shownSamples, long seed) {

    public DemoConfig {
        positive("trainPrompts", trainPrompts);
        positive("heldOutPrompts", heldOutPrompts);
        positive("promptChars", promptChars);
        positive("responseTokens", responseTokens);
        positive("panelSize", panelSize);
        positive("evalSamples", evalSamples);
        positive("evalPanelSize", evalPanelSize);
        if (completions < 2) {
            throw new IllegalArgumentException("completions must be >= 2 (a ranking needs two), got " + completions);
        }
        if (windowItems < 0) {
            throw new IllegalArgumentException("windowItems must be >= 0, got " + windowItems);
        }
        if (uciPairs < 0) {
            throw new IllegalArgumentException("uciPairs must be >= 0, got " + uciPairs);
        }
        if (shownSamples < 0) {
            throw new IllegalArgumentException("shownSamples must be >= 0, got " + shownSamples);
        }
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
        }
        if (!(rewardHoldOut >= 0 && rewardHoldOut < 1)) {
            throw new IllegalArgumentException("rewardHoldOut must be in [0, 1), got " + rewardHoldOut);
        }
        if (pretrain == null || reward == null || ppo == null || aggregation == null) {
            throw new IllegalArgumentException("pretrain, reward, ppo and aggregation must not be null");
        }
        if (promptChars + responseTokens > pretrain.model().blockSize()) {
            throw new IllegalArgumentException("promptChars " + promptChars + " + responseTokens " + responseTokens
                    + " must fit the model's block size " + pretrain.model().blockSize());
        }
        ppo = new DemoPpo(ppo.iterations(), ppo.effective(responseTokens, temperature)); // what PPO runs with
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /**
     * The full demo: the moby-dick-char recipe (nanoGPT's baby GPT, 4 layers, n_embd 128, block 64) for
     * fewer steps; 256 training and 64 held-out prompts of up to 16 characters; K = 4 responses of 48
     * characters at temperature 0.6 (at 0.8 the character model writes few real words, so the panel has
     * little to judge and the reward model little to read); a 5-person panel by majority ranks the samples
     * and 20,000 items of K windows of the book; a GPT-2 BPE reward model from scratch (1 layer, n_embd 32;
     * 600 steps of 32 rankings, lr 3e-3, the recipe of the reward package's PanelRewardModelTest), no UCI
     * pairs; PPO ({@link DemoPpo#standard()}); 4 samples per held-out prompt from each model (256
     * head-to-heads, for less noise in the win rate), judged by a fresh 5-person panel. Sizes were chosen
     * so the whole run takes minutes on 2 cores (docs/ppo.md, "The demo").
     */
    public static DemoConfig standard() {
        Recipe moby = Recipe.mobyDickChar();
        TrainConfig t = moby.train().withMaxIters(1500).withIntervals(20, 250, 10, 0);
        t = new TrainConfig(t.batchSize(), t.blockSize(), t.maxIters(), t.lr(), t.minLr(), t.warmupIters(), 1500,
                t.beta1(), t.beta2(), t.weightDecay(), t.gradClip(), t.gradAccumSteps(), t.evalIters(),
                t.evalInterval(), t.logInterval(), t.checkpointInterval(), t.seed());
        RewardConfig rm = RewardConfig.fromScratch().withMaxIters(600).withBatchSize(32).withLr(3e-3)
                .withMaxLength(64, OverLength.DROP).withIntervals(100, 10, 0);
        return new DemoConfig(moby.with(moby.model(), t), 256, 64, 16, 4, 48, 0.6f, 5,
                AnnotatorPanel.Aggregation.MAJORITY, rm, 0.2, 0, 20_000, DemoPpo.standard(), 4, 5, 8, 1337L);
    }

    /**
     * Every stage in seconds, for tests and a first look: a 2-layer n_embd 32 GPT (block 32) pretrained
     * 40 steps, 12 training and 4 held-out prompts, K = 2 responses of 12 characters, a 3-person panel,
     * 6 reward-model steps, {@link DemoPpo#quick()}, one sample per held-out prompt. The numbers it
     * reports mean nothing.
     */
    public static DemoConfig quick() {
        Recipe tiny = Recipe.tiny();
        GptConfig m = tiny.model();
        TrainConfig t = tiny.train().withMaxIters(40).withIntervals(2, 20, 5, 0);
        t = new TrainConfig(t.batchSize(), t.blockSize(), t.maxIters(), t.lr(), t.minLr(), t.warmupIters(), 40,
                t.beta1(), t.beta2(), t.weightDecay(), t.gradClip(), t.gradAccumSteps(), t.evalIters(),
                t.evalInterval(), t.logInterval(), t.checkpointInterval(), t.seed());
        RewardConfig rm = RewardConfig.fromScratch().withBatchSize(4).withMaxIters(6).withWarmupIters(0)
                .withMaxLength(32, OverLength.DROP).withIntervals(3, 1, 0);
        return new DemoConfig(tiny.with(m, t), 12, 4, 12, 2, 12, 1f, 3, AnnotatorPanel.Aggregation.MAJORITY, rm,
                0.25, 8, 16, DemoPpo.quick(), 1, 3, 4, 1337L);
    }

    /** The same demo with every seed derived from {@code v}. */
    public DemoConfig withSeed(long v) {
        return new DemoConfig(pretrain.with(pretrain.model(), pretrain.train().withSeed(v)), trainPrompts,
                heldOutPrompts, promptChars, completions, responseTokens, temperature, panelSize, aggregation,
                reward.withSeed(v), rewardHoldOut, uciPairs, windowItems, ppo.withSeed(v), evalSamples, evalPanelSize, shownSamples, v);
    }

    public DemoConfig withPretrain(Recipe v) {
        return new DemoConfig(v, trainPrompts, heldOutPrompts, promptChars, completions, responseTokens, temperature,
                panelSize, aggregation, reward, rewardHoldOut, uciPairs, windowItems, ppo, evalSamples, evalPanelSize, shownSamples, seed);
    }

    public DemoConfig withReward(RewardConfig v) {
        return new DemoConfig(pretrain, trainPrompts, heldOutPrompts, promptChars, completions, responseTokens,
                temperature, panelSize, aggregation, v, rewardHoldOut, uciPairs, windowItems, ppo, evalSamples, evalPanelSize, shownSamples,
                seed);
    }

    public DemoConfig withPpo(DemoPpo v) {
        return new DemoConfig(pretrain, trainPrompts, heldOutPrompts, promptChars, completions, responseTokens,
                temperature, panelSize, aggregation, reward, rewardHoldOut, uciPairs, windowItems, v, evalSamples, evalPanelSize, shownSamples,
                seed);
    }
}
