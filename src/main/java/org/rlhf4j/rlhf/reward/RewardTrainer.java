package org.rlhf4j.rlhf.reward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.optim.LrSchedule;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * Trains a {@link RewardModel} on pairwise and ranked preferences (mixed freely). Each optimizer step:
 * <pre>
 *   1. batch            the next batchSize preferences of a seeded shuffle (reshuffled every epoch)
 *   2. forward          every response of the batch as one right-padded batch: rewards r (N)
 *   3. loss             RewardLosses.batch: mean over preferences of the mean over their C(K,2) pairs
 *   4. backward
 *   5. clip             global norm to gradClip; a non-finite norm skips 6-7 (counted)
 *   6. lr schedule      linear warmup, cosine decay to minLr
 *   7. AdamW step
 *   8. log / eval / checkpoint
 * </pre>
 * Evaluation (every evalInterval steps and after the last) scores every held-out preference without
 * gradients: pairwise accuracy and mean margin over all their pairs (a K-way ranking gives C(K,2)).
 * Rows go to {@code <dir>/metrics.jsonl}: {@code step, loss, accuracy, lr, grad_norm, tokens_per_sec,
 * elapsed_sec}, and {@code eval_loss, eval_accuracy, eval_margin} on evaluated steps. The model goes to
 * {@code <dir>/checkpoint} ({@link RewardCheckpoint}). After training, {@link #normalize} sets and saves
 * the normalization from reference-policy samples. The seed fixes the order of batches, and the
 * kernels are deterministic, so a run repeats bit for bit.
 */
public final class RewardTrainer {

    public static final String METRICS = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RewardModel model;
    private final RewardConfig cfg;
    private final RewardEncoder.Encoding train;
    private final RewardEncoder.Encoding eval;
    private final Path dir;
    private final RewardListener listener;
    private final AdamW opt;
    private final LrSchedule schedule;
    private final List<Tensor> params;
    private final Generator order;
    private final int[] perm;
    private int cursor;
    private int step;
    private long skipped;
    private RewardStepMetrics last;
    private ObjectNode normalization; // set by normalize(), recorded in state.json

    private RewardTrainer(RewardModel model, RewardConfig cfg, RewardEncoder.Encoding train,
                          RewardEncoder.Encoding eval, Path dir, RewardListener listener) {
        this.model = model;
        this.cfg = cfg;
        this.train = train;
        this.eval = eval;
        this.dir = dir;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.opt = new AdamW(cfg.adamW(), model.paramGroups(cfg.weightDecay()));
        this.schedule = cfg.schedule();
        this.params = model.parameters();
        this.order = new Generator(cfg.seed() ^ 0x5DEECE66DL);
        this.perm = new int[train.kept().size()];
        this.cursor = perm.length; // shuffle before the first batch
    }

    /**
     * A run on {@code trainData}, evaluated on {@code evalData} (may be empty), writing to {@code dir}.
     * Both are encoded with the model's tokenizer under {@code cfg}'s length and over-length policy.
     *
     * @throws IllegalArgumentException when no training preference survives the policy
     */
    public static RewardTrainer start(RewardModel model, RewardConfig cfg, List<? extends Preference> trainData,
                                      List<? extends Preference> evalData, Path dir, RewardListener listener)
            throws IOException {
        RewardEncoder enc = new RewardEncoder(model.tokenizer(), Math.min(cfg.maxLength(), model.maxLength()),
                cfg.overLength());
        RewardEncoder.Encoding train = enc.encodeAll(trainData), eval = enc.encodeAll(evalData);
        if (train.kept().isEmpty()) {
            throw new IllegalArgumentException("no training preference fits " + enc.maxLength() + " tokens ("
                    + train.dropped() + " dropped by " + cfg.overLength() + ")");
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(METRICS));
        return new RewardTrainer(model, cfg, train, eval, dir, listener);
    }

    /** Trains for maxIters steps, then saves the model. */
    public void run() throws IOException {
        listener.started(cfg.maxIters(), model.parameterCount(), train, eval);
        long start = System.nanoTime();
        while (step < cfg.maxIters()) {
            long t0 = System.nanoTime();
            double lr = schedule.at(step);
            // 1. batch
            List<RewardEncoder.Encoded> batch = nextBatch();
            int[][] rankings = new int[batch.size()][];
            List<int[]> rows = new ArrayList<>();
            for (int g = 0; g < batch.size(); g++) {
                rankings[g] = batch.get(g).ranking();
                rows.addAll(List.of(batch.get(g).sequences()));
            }
            RewardModel.Batch padded = RewardModel.Batch.pad(rows);
            // 2.-4. forward, loss, backward
            opt.zeroGrad();
            Tensor r = model.rewards(padded); // (N)
            Tensor loss = RewardLosses.batch(r, rankings, (float) cfg.margin(), (float) cfg.centerCoef());
            loss.backward();
            RewardLosses.PairStats stats = RewardLosses.pairStats(r.toArray(), rankings);
            // 5. clip (the norm before clipping)
            double norm = cfg.gradClip() > 0 ? GradClip.clipGlobalNorm(params, cfg.gradClip())
                    : GradClip.globalNorm(params);
            boolean skip = !Double.isFinite(norm);
            if (skip) {
                skipped++;
            } else {
                opt.setLearningRate(lr); // 6. lr schedule
                opt.step();              // 7. AdamW step
            }
            opt.zeroGrad();
            step++;
            double seconds = (System.nanoTime() - t0) / 1e9;
            // 8. log / eval / checkpoint
            boolean evaluate = !eval.kept().isEmpty() && (step % cfg.evalInterval() == 0 || step == cfg.maxIters());
            double[] ev = evaluate ? evaluate(eval.kept()) : new double[] {Double.NaN, Double.NaN, Double.NaN};
            boolean logged = step % cfg.logInterval() == 0 || evaluate || step == cfg.maxIters();
            last = new RewardStepMetrics(step, cfg.maxIters(), loss.item(), stats.accuracy(), lr, norm, skip,
                    padded.ids().length / Math.max(seconds, 1e-9), (System.nanoTime() - start) / 1e9,
                    ev[0], ev[1], ev[2], logged);
            if (logged) {
                appendMetrics(last);
            }
            listener.step(last);
            if ((cfg.checkpointInterval() > 0 && step % cfg.checkpointInterval() == 0) || step == cfg.maxIters()) {
                save();
            }
        }
    }

    /** The next batchSize preferences; a fresh Fisher-Yates shuffle from the seeded generator each epoch. */
    private List<RewardEncoder.Encoded> nextBatch() {
        List<RewardEncoder.Encoded> out = new ArrayList<>(cfg.batchSize());
        while (out.size() < Math.min(cfg.batchSize(), perm.length)) {
            if (cursor == perm.length) {
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = i;
                }
                for (int i = perm.length - 1; i > 0; i--) {
                    int j = Math.min(i, (int) (order.nextUniform() * (i + 1)));
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                cursor = 0;
            }
            out.add(train.kept().get(perm[cursor++]));
        }
        return out;
    }

    /**
     * {loss, pairwise accuracy, mean margin} of the model on {@code data}, without gradients, batchSize
     * preferences at a time; every pair of every ranking counts for accuracy and margin.
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    public double[] evaluate(List<RewardEncoder.Encoded> data) {
        RewardLosses.PairStats total = RewardLosses.PairStats.NONE;
        double lossSum = 0;
        try (NoGrad ignored = Autograd.noGrad()) {
            for (int from = 0; from < data.size(); from += cfg.batchSize()) {
                List<RewardEncoder.Encoded> chunk = data.subList(from, Math.min(data.size(), from + cfg.batchSize()));
                int[][] rankings = new int[chunk.size()][];
                List<int[]> rows = new ArrayList<>();
                for (int g = 0; g < chunk.size(); g++) {
                    rankings[g] = chunk.get(g).ranking();
                    rows.addAll(List.of(chunk.get(g).sequences()));
                }
                Tensor r = model.rewards(RewardModel.Batch.pad(rows));
                lossSum += RewardLosses.batch(r, rankings, (float) cfg.margin(), (float) cfg.centerCoef()).item()
                        * chunk.size();
                total = total.plus(RewardLosses.pairStats(r.toArray(), rankings));
            }
        }
        return new double[] {lossSum / data.size(), total.accuracy(), total.meanMargin()};
    }

    /**
     * Normalizes the trained model on reference-policy samples (mean 0, and std 1 when the config's
     * normalizeScale) and saves it again. Returns {mean, std} of their raw rewards.
     */
    public double[] normalize(List<String> prompts, List<String> responses) throws IOException {
        double[] ms = model.normalize(prompts, responses, cfg.normalizeScale());
        ObjectNode n = JSON.createObjectNode();
        n.put("samples", prompts.size());
        n.put("raw_mean", ms[0]);
        n.put("raw_std", ms[1]);
        normalization = n;
        save();
        return ms;
    }

    private void save() throws IOException {
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        state.put("skipped_steps", skipped);
        state.set("reward_config", JSON.valueToTree(cfg));
        state.put("train_preferences", train.kept().size());
        state.put("train_dropped", train.dropped());
        state.put("train_truncated", train.truncated());
        state.put("eval_preferences", eval.kept().size());
        state.put("eval_dropped", eval.dropped());
        if (last != null && last.evaluated()) {
            state.put("eval_accuracy", last.evalAccuracy());
            state.put("eval_margin", last.evalMargin());
        }
        if (normalization != null) {
            state.set("normalization", normalization);
        }
        Path to = dir.resolve(RewardCheckpoint.DIR);
        RewardCheckpoint.save(model, to, state);
        listener.checkpointed(step, to);
    }

    private void appendMetrics(RewardStepMetrics m) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", m.step());
        put(o, "loss", m.loss());
        put(o, "accuracy", m.accuracy());
        put(o, "lr", m.lr());
        put(o, "grad_norm", m.gradNorm());
        put(o, "tokens_per_sec", m.tokensPerSec());
        put(o, "elapsed_sec", m.elapsedSec());
        if (m.evaluated()) {
            put(o, "eval_loss", m.evalLoss());
            put(o, "eval_accuracy", m.evalAccuracy());
            put(o, "eval_margin", m.evalMargin());
        }
        if (m.skipped()) {
            o.put("skipped", true);
        }
        Files.write(dir.resolve(METRICS), (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key); // JSON has no NaN
        }
    }

    public RewardModel model() {
        return model;
    }

    public RewardConfig config() {
        return cfg;
    }

    /** The training preferences as encoded (with the dropped and truncated counts). */
    public RewardEncoder.Encoding trainEncoding() {
        return train;
    }

    /** The held-out preferences as encoded. */
    public RewardEncoder.Encoding evalEncoding() {
        return eval;
    }

    /** Optimizer steps done (skipped ones included). */
    public int step() {
        return step;
    }

    /** Steps skipped because the gradient norm was not finite. */
    public long skippedSteps() {
        return skipped;
    }

    /** The metrics of the last step, or null before the first. */
    public RewardStepMetrics lastMetrics() {
        return last;
    }
}
