package org.rlhf4j.rlhf.ppo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.optim.ParamGroups;
import org.rlhf4j.rlhf.Gae;
import org.rlhf4j.rlhf.KlController;
import org.rlhf4j.rlhf.MaskedStats;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.RunningMoments;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * PPO against a reward source with a frozen reference (stage 3 of ../../../../../../shared RLHF.md; the
 * maths in docs/ppo.md). Four models: the policy (trained, the caller's {@link Gpt}), the reference (a
 * frozen deep copy of the policy made here, no gradients), the reward source (a reward model or a
 * function, never trained) and the value model (trained; {@link PpoConfig.ValueInit}). Dropout is off in
 * every model: all run in evaluation mode, which in this code base only disables dropout, while the
 * policy and value model still receive gradients. One {@link #step} is one iteration:
 * <pre>
 *   1. rollout         sample responses with the policy at the configured temperature
 *   2. truncate        cut each response after its first stop token; the rest is padding (masked)
 *      (log-probs)     policy and reference log-probs under logits / temperature, values (no gradients)
 *   3. score           the reward source at the response's end, minus missingEosPenalty without a stop
 *                      token; optional running normalization
 *   4. KL penalty      r_t = -beta k(logp_t - logref_t), the score added at the last real token
 *   5. whiten rewards  optional, masked, no mean shift
 *   6. GAE             advantages and returns backwards over each response
 *   7. whiten adv.     masked, mean shift, 0 on padding
 *   8. PPO epochs      shuffled minibatches of micro-batches: clipped policy + vfCoef * clipped value loss,
 *                      one clipped AdamW step per minibatch; a minibatch whose mean ratio passes
 *                      ratioThreshold (or whose gradient is not finite) is skipped and counted
 *   9. KL controller   beta moves toward the target KL (or stays fixed)
 *  10. metrics         TRL's names ({@link PpoIteration})
 * </pre>
 * Randomness comes from one seeded {@link Generator} (sampling and shuffles), saved by {@link #save}
 * with everything else, so {@link #resume} continues bit for bit.
 */
public final class PpoTrainer implements AutoCloseable {

    /** Samples kept in each {@link PpoIteration}. */
    public static final int SAMPLES = 4;

    private final Gpt policy;
    private final Gpt reference;
    private final RewardModel value;
    private final Tokenizer tokenizer;
    private final RewardSource reward;
    private final PpoConfig cfg;
    private final PpoListener listener;
    private final AdamW policyOpt;
    private final AdamW valueOpt;
    private final KlController kl;
    private final RunningMoments scoreMoments = new RunningMoments();
    private final Generator rng;
    private final int stopId;        // -1: no stop token
    private final boolean stopIsEot; // the stop token is the tokenizer's end-of-text (not part of the text)
    private int padId;               // fed after each row's real tokens; never read (see Rollouts)
    private int iteration;
    private boolean closed;

    /** A trainer with a function or reward-model reward; the value model starts as {@code config.valueInit()} says. */
    public PpoTrainer(Gpt policy, Tokenizer tokenizer, RewardSource reward, PpoConfig config) {
        this(policy, tokenizer, reward, config, null, PpoListener.NONE);
    }

    /**
     * @param valueFrom the reward model a FROM_REWARD_MODEL value model copies (null: the reward source itself
     *                  when it is a {@link RewardModel}); ignored for POLICY_HEAD
     * @param listener  told about each iteration
     */
    public PpoTrainer(Gpt policy, Tokenizer tokenizer, RewardSource reward, PpoConfig config, RewardModel valueFrom,
                      PpoListener listener) {
        this(policy, Models.copy(policy), tokenizer, reward, config,
                initialValue(policy, tokenizer, reward, config, valueFrom), listener, new Generator(config.seed()));
    }

    private PpoTrainer(Gpt policy, Gpt reference, Tokenizer tokenizer, RewardSource reward, PpoConfig config,
                       RewardModel value, PpoListener listener, Generator rng) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.reward = Objects.requireNonNull(reward, "reward");
        this.cfg = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (config.maxNewTokens() >= policy.config.blockSize()) {
            throw new IllegalArgumentException("maxNewTokens (" + config.maxNewTokens() + ") must be below the policy's "
                    + "block size " + policy.config.blockSize() + " to leave room for a prompt");
        }
        if (tokenizer.vocabSize() > policy.config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " ids, the policy embeds "
                    + policy.config.vocabSize());
        }
        this.reference = reference;
        Models.freeze(reference);
        this.value = value;
        policy.eval();      // dropout off; gradients still flow
        reference.eval();
        value.trunk().eval();
        AdamWConfig adam = new AdamWConfig(config.lr(), config.beta1(), config.beta2(), config.adamEps(),
                config.weightDecay());
        this.policyOpt = new AdamW(adam, ParamGroups.linearWeightsDecay(policy, config.weightDecay()));
        this.valueOpt = new AdamW(adam, value.paramGroups(config.weightDecay()));
        this.kl = config.adaptiveKl() ? KlController.adaptive(config.initKlCoef(), config.klTarget(), config.klHorizon())
                : KlController.fixed(config.initKlCoef());
        this.rng = rng;
        int[] stop = resolveStop(tokenizer, config.stopToken());
        this.stopId = stop[0];
        this.stopIsEot = stop[1] == 1;
    }

    /** {stop id or -1, 1 when it is the tokenizer's end-of-text}. */
    private static int[] resolveStop(Tokenizer tokenizer, String stopToken) {
        if (stopToken.equals("none")) {
            return new int[] {-1, 0};
        }
        if (stopToken.equals("eos")) {
            OptionalInt eot = tokenizer.eotId();
            return eot.isPresent() ? new int[] {eot.getAsInt(), 1} : new int[] {-1, 0};
        }
        int[] ids;
        try {
            ids = tokenizer.encode(stopToken);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stopToken " + quote(stopToken) + " cannot be encoded: " + e.getMessage(), e);
        }
        if (ids.length != 1) {
            throw new IllegalArgumentException("stopToken " + quote(stopToken) + " encodes to " + ids.length
                    + " tokens; it must be exactly one (or \"eos\" / \"none\")");
        }
        return new int[] {ids[0], 0};
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private static RewardModel initialValue(Gpt policy, Tokenizer tokenizer, RewardSource reward, PpoConfig config,
                                            RewardModel valueFrom) {
        if (config.valueInit() == PpoConfig.ValueInit.POLICY_HEAD) {
            return Models.valueHeadOn(policy, tokenizer);
        }
        RewardModel rm = valueFrom != null ? valueFrom : reward instanceof RewardModel r ? r : null;
        if (rm == null) {
            throw new IllegalArgumentException("valueInit FROM_REWARD_MODEL needs a reward model (pass one, or use a "
                    + "RewardModel as the reward source); with a reward function use POLICY_HEAD");
        }
        if (rm.trunk().config.vocabSize() != policy.config.vocabSize()
                || !rm.tokenizer().toJson().equals(tokenizer.toJson())) {
            throw new IllegalArgumentException("valueInit FROM_REWARD_MODEL: the reward model's tokenizer differs from "
                    + "the policy's, so it cannot read the policy's tokens; use POLICY_HEAD");
        }
        if (rm.trunk().config.blockSize() < policy.config.blockSize()) {
            throw new IllegalArgumentException("valueInit FROM_REWARD_MODEL: the reward model reads "
                    + rm.trunk().config.blockSize() + " positions, fewer than the policy's " + policy.config.blockSize());
        }
        return Models.copy(rm);
    }

    // --------------------------------------------------------------------------------------------
    // one iteration
    // --------------------------------------------------------------------------------------------

    /** Runs one full iteration (phases 1-10) on {@code prompts} (exactly rolloutBatch of them). */
    public PpoIteration step(List<String> prompts) {
        checkOpen();
        long t0 = System.nanoTime();
        PpoBatch batch = rollout(prompts);                    // 1.-7.
        PpoEpochs.Optimized o = optimize(batch);               // 8.
        double klSum = Rows.meanOfRowSums(batch.kl(), batch.mask(), batch.size(), batch.R());
        kl.update(klSum, batch.size());                        // 9. Ziegler et al.: n = samples in the batch
        iteration++;
        PpoIteration it = PpoIteration.measure(batch, o, klSum, (System.nanoTime() - t0) / 1e9, iteration, cfg.lr()); // 10.
        listener.iteration(it);
        return it;
    }

    /**
     * Phases 1-7 without any update: rollout, truncation, log-probs, score, KL penalty, reward whitening,
     * GAE, advantage whitening. Advances the sampling generator (and the running score statistics).
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public PpoBatch rollout(List<String> prompts) {
        checkOpen();
        int N = prompts.size(), R = cfg.maxNewTokens();
        if (N != cfg.rolloutBatch()) {
            throw new IllegalArgumentException("step needs rolloutBatch = " + cfg.rolloutBatch() + " prompts, got " + N);
        }
        // 1. rollout: sample with the policy at the configured temperature
        int[][] promptIds = encodePrompts(prompts);
        int[][] sampled = Rollouts.generate(policy, promptIds, sampling(false), rng);
        // 2. truncate after the first stop token (generate stops each row there); the rest is padding, masked
        int[][] responseIds = sampled;
        boolean[] stopped = new boolean[N];
        float[] mask = new float[N * R];
        List<String> texts = new ArrayList<>(N);
        for (int b = 0; b < N; b++) {
            int[] y = responseIds[b];
            stopped[b] = stopId >= 0 && y.length > 0 && y[y.length - 1] == stopId;
            for (int j = 0; j < y.length; j++) {
                mask[b * R + j] = 1f;
            }
            texts.add(responseText(y, stopped[b]));
        }
        // log-probs under logits / temperature (policy and reference), values: no gradients, in micro-batches
        float[] logp = new float[N * R], ref = new float[N * R], ent = new float[N * R], values = new float[N * R];
        int micro = microBatchSize();
        try (NoGrad ignored = Autograd.noGrad()) {
            for (int from = 0; from < N; from += micro) {
                int[] rows = Rows.range(from, Math.min(N, from + micro));
                float[] e = new float[rows.length * R];
                Rows.put(Rollouts.logProbs(policy, promptIds, responseIds, rows, R, padId, cfg.temperature(), e),
                        logp, from, R);
                System.arraycopy(e, 0, ent, from * R, e.length);
                Rows.put(Rollouts.logProbs(reference, promptIds, responseIds, rows, R, padId, cfg.temperature(),
                        null), ref, from, R);
                Rows.put(Rollouts.values(value, promptIds, responseIds, rows, R, padId), values, from, R);
            }
        }
        Rows.mask(logp, mask);
        Rows.mask(ref, mask);
        Rows.mask(values, mask);
        // 3. score at the response's end; minus missingEosPenalty when no stop token came
        float[] scores = reward.score(prompts, texts);
        if (scores.length != N) {
            throw new IllegalStateException("the reward source returned " + scores.length + " scores for " + N + " responses");
        }
        scores = scores.clone();
        for (int b = 0; b < N; b++) {
            if (!Float.isFinite(scores[b])) {
                throw new IllegalStateException("the reward source scored response " + b + " as " + scores[b]);
            }
            if (stopId >= 0 && !stopped[b]) {
                scores[b] -= (float) cfg.missingEosPenalty();
            }
        }
        float[] used = normalizeScores(scores);
        // 4. per-token KL penalty -beta * k(logp - logref); the score added at the last real token
        double beta = kl.beta();
        float[] klTok = new float[N * R], rewards = new float[N * R];
        for (int b = 0; b < N; b++) {
            int L = responseIds[b].length;
            for (int j = 0; j < L; j++) {
                int i = b * R + j;
                klTok[i] = (float) cfg.klEstimator().of((double) logp[i] - ref[i]); // logr = logp - logref
                rewards[i] = (float) (-beta * klTok[i]);
            }
            rewards[b * R + L - 1] += used[b];
        }
        // 5. optional reward whitening (masked, no mean shift)
        if (cfg.whitenRewards()) {
            rewards = MaskedStats.whiten(rewards, mask, false);
        }
        // 6. GAE backwards over each response: delta = r + gamma V' - V, A = delta + gamma lambda A'
        int[] lengths = new int[N];
        for (int b = 0; b < N; b++) {
            lengths[b] = responseIds[b].length;
        }
        Gae.Result gae = Gae.compute(rewards, values, lengths, R, cfg.gamma(), cfg.lambda());
        // 7. whiten the advantages (masked, mean shift); 0 on padding
        float[] adv = MaskedStats.whiten(gae.advantages(), mask, true);
        return new PpoBatch(List.copyOf(prompts), List.copyOf(texts), promptIds, responseIds, stopped, R, mask, logp,
                ref, klTok, ent, values, scores, rewards, adv, gae.returns(), beta);
    }

    /** Running normalization of the scores (phase 3), as configured; returns the scores the rewards use. */
    private float[] normalizeScores(float[] scores) {
        if (cfg.scoreNorm() == PpoConfig.ScoreNorm.NONE) {
            return scores;
        }
        scoreMoments.update(scores);
        double scale = scoreMoments.std() + 1e-8, shift = cfg.scoreNorm() == PpoConfig.ScoreNorm.NORMALIZE
                ? scoreMoments.mean() : 0;
        float[] out = new float[scores.length];
        for (int b = 0; b < scores.length; b++) {
            out[b] = (float) ((scores[b] - shift) / scale);
        }
        return out;
    }

    /** 8. PPO epochs ({@link PpoEpochs}); package-private so a test can hand it any batch. */
    PpoEpochs.Optimized optimize(PpoBatch batch) {
        return PpoEpochs.run(cfg, policy, value, policyOpt, valueOpt, padId, microBatchSize(), rng, batch);
    }

    // --------------------------------------------------------------------------------------------
    // evaluation helpers
    // --------------------------------------------------------------------------------------------

    /**
     * Responses of {@code model} (the policy, the reference, or any model with this tokenizer) to
     * {@code prompts}, sampled with the rollout settings (temperature, top-k, top-p, maxNewTokens, stop token)
     * from a fresh generator seeded with {@code seed}: equal seeds give equal samples, and the trainer's own
     * generator is not touched. Texts as the reward source sees them.
     */
    public List<String> generate(Gpt model, List<String> prompts, long seed) {
        return generate(model, prompts, new Generator(seed), false);
    }

    /** Greedy (argmax) responses of {@code model}, up to maxNewTokens, stopping at the stop token. */
    public List<String> generateGreedy(Gpt model, List<String> prompts) {
        return generate(model, prompts, new Generator(0), true);
    }

    private List<String> generate(Gpt model, List<String> prompts, Generator gen, boolean greedy) {
        int[][] ids = encodePrompts(prompts);
        int[][] out = Rollouts.generate(model, ids, sampling(greedy), gen);
        List<String> texts = new ArrayList<>(out.length);
        for (int[] y : out) {
            texts.add(responseText(y, stopId >= 0 && y.length > 0 && y[y.length - 1] == stopId));
        }
        return texts;
    }

    /**
     * The probability ratios {@code pi(y) / pi_old(y)} of every real token of {@code batch} under the current
     * policy, computed as the PPO epochs compute them (row-major (N, R), 1 on padding): before any update,
     * every ratio is 1 to float rounding.
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public float[] probabilityRatios(PpoBatch batch) {
        int N = batch.size(), R = batch.R(), micro = microBatchSize();
        float[] out = new float[N * R];
        try (NoGrad ignored = Autograd.noGrad()) {
            for (int from = 0; from < N; from += micro) {
                int[] rows = Rows.range(from, Math.min(N, from + micro));
                float[] lp = Rollouts.logProbs(policy, batch.promptIds(), batch.responseIds(), rows, R,
                        padId, cfg.temperature(), null).toArray();
                for (int i = 0; i < lp.length; i++) {
                    int at = from * R + i;
                    out[at] = batch.mask()[at] != 0 ? (float) Math.exp((double) lp[i] - batch.logProbs()[at]) : 1f;
                }
            }
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------
    // state
    // --------------------------------------------------------------------------------------------

    public Gpt policy() {
        return policy;
    }

    /** The frozen copy of the policy as it was at construction (its parameters never receive gradients). */
    public Gpt reference() {
        return reference;
    }

    /** The value model: a trunk and a scalar head read at every position. */
    public RewardModel valueModel() {
        return value;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public PpoConfig config() {
        return cfg;
    }

    /** Iterations done. */
    public int iteration() {
        return iteration;
    }

    /** The KL coefficient the next iteration will use. */
    public double beta() {
        return kl.beta();
    }

    /**
     * Sets the id fed to the models at padded positions (default 0), for the test that shows it cannot
     * matter: padding comes after each row's real tokens, so causal attention keeps it out of every real
     * position, and the masks keep it out of every sum. A test hook: {@link #save} does not record it.
     */
    void setPadTokenId(int id) {
        if (id < 0 || id >= policy.config.vocabSize()) {
            throw new IllegalArgumentException("pad id " + id + " is outside the vocabulary 0.."
                    + (policy.config.vocabSize() - 1));
        }
        padId = id;
    }

    /** The stop token's id, or -1 when responses only end at maxNewTokens. */
    public int stopTokenId() {
        return stopId;
    }

    /**
     * Writes the whole state to {@code dir} atomically (one checkpoint directory): policy, reference and value
     * weights, both optimizers, the generator, the KL coefficient, the running score statistics, the
     * iteration and the config ({@link PpoCheckpoint}).
     */
    public void save(Path dir) throws IOException {
        PpoCheckpoint.save(dir, this);
    }

    /** Writes the policy alone as a language-model checkpoint ({@code rlhf4j sample} reads it). */
    public void savePolicy(Path dir) throws IOException {
        PpoCheckpoint.savePolicy(dir, this);
    }

    /** A trainer continuing the run saved in {@code dir}, bit for bit, with the same reward source. */
    public static PpoTrainer resume(Path dir, RewardSource reward, PpoListener listener) throws IOException {
        return PpoCheckpoint.load(dir, reward, listener);
    }

    /** {@link #resume(Path, RewardSource, PpoListener)} without a listener. */
    public static PpoTrainer resume(Path dir, RewardSource reward) throws IOException {
        return resume(dir, reward, PpoListener.NONE);
    }

    /** Rebuilds a trainer from checkpointed parts (used by {@link PpoCheckpoint}). */
    static PpoTrainer restore(Gpt policy, Gpt reference, RewardModel value, Tokenizer tokenizer, RewardSource reward,
                              PpoConfig config, PpoListener listener, Generator rng, int iteration, double beta,
                              double[] moments) {
        PpoTrainer t = new PpoTrainer(policy, reference, tokenizer, reward, config, value, listener, rng);
        t.iteration = iteration;
        t.kl.setBeta(beta);
        t.scoreMoments.set(moments[0], moments[1], moments[2]);
        return t;
    }

    AdamW policyOptimizer() {
        return policyOpt;
    }

    AdamW valueOptimizer() {
        return valueOpt;
    }

    Generator generator() {
        return rng;
    }

    RunningMoments scoreMoments() {
        return scoreMoments;
    }

    @Override
    public void close() {
        closed = true; // no threads or files are held; a closed trainer refuses further work
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this PPO trainer is closed");
        }
    }

    // --------------------------------------------------------------------------------------------
    // small helpers
    // --------------------------------------------------------------------------------------------

    private Rollouts.Sampling sampling(boolean greedy) {
        return new Rollouts.Sampling(cfg.maxNewTokens(), cfg.temperature(), cfg.topK(), cfg.topP(), stopId, greedy);
    }

    private int microBatchSize() {
        return cfg.rolloutBatch() / cfg.miniBatches() / cfg.gradAccum();
    }

    /** Each prompt's tokens, cut from the left to leave room for maxNewTokens; an empty prompt is an error. */
    private int[][] encodePrompts(List<String> prompts) {
        int room = policy.config.blockSize() - cfg.maxNewTokens();
        int[][] ids = new int[prompts.size()][];
        for (int i = 0; i < ids.length; i++) {
            int[] p = tokenizer.encode(prompts.get(i));
            if (p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; the policy needs at least one token to "
                        + "condition on");
            }
            ids[i] = p.length <= room ? p : Arrays.copyOfRange(p, p.length - room, p.length);
        }
        return ids;
    }

    /** The response's text: its tokens, without the stop token when that is the tokenizer's end-of-text. */
    private String responseText(int[] y, boolean stopped) {
        int n = stopped && stopIsEot ? y.length - 1 : y.length;
        return tokenizer.decode(Arrays.copyOf(y, n));
    }
}
