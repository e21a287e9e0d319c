package org.rlhf4j.rlhf.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.optim.LrSchedule;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.train.MetricsLog;

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
 *
 * <p>Every checkpoint also holds what resuming needs, as {@code train.Trainer}'s does: AdamW's moments
 * (optimizer.safetensors) and step count, the step and skipped-step count, the batch-order generator's
 * (seed, counter), the epoch's shuffle and the position in it, the normalization, the config and a
 * fingerprint of the training data. {@link #resume} continues from it bit for bit as the uninterrupted
 * run would (same backend and thread count).
 */
public final class RewardTrainer {

    public static final String METRICS = "metrics.jsonl";

    /** The "format" of a reward trainer's state.json. */
    static final String FORMAT = "rlhf4j-reward-train-1";

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
    private Generator order;
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

    /**
     * Continues the run whose checkpoint is in {@code dir/checkpoint} (or {@code dir}), on the same data:
     * the model, its normalization, AdamW's moments and step, the batch order and position, the step and
     * the skipped count are restored, and metrics.jsonl loses any rows written after the checkpoint. The
     * config is the one the checkpoint recorded.
     *
     * @param dir the run directory given to {@link #start}
     * @throws CheckpointException when the checkpoint is no reward trainer's, or the data differ from the run's
     */
    public static RewardTrainer resume(Path dir, List<? extends Preference> trainData,
                                       List<? extends Preference> evalData, RewardListener listener)
            throws IOException {
        RewardCheckpoint.Loaded loaded = RewardCheckpoint.loadWithData(dir);
        CheckpointData ck = loaded.data();
        ObjectNode state = ck.state();
        String where = dir.resolve(RewardCheckpoint.DIR).resolve("state.json").toString();
        if (!FORMAT.equals(state.path("format").asText())) {
            throw new CheckpointException.BadJson(where, "not a resumable reward training run (\"format\" is not \""
                    + FORMAT + "\")");
        }
        RewardConfig cfg;
        try {
            cfg = RewardConfig.fromJson(state.path("reward_config"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException.BadJson(where, e.getMessage());
        }
        RewardModel model = loaded.model();
        RewardEncoder enc = new RewardEncoder(model.tokenizer(), Math.min(cfg.maxLength(), model.maxLength()),
                cfg.overLength());
        RewardEncoder.Encoding train = enc.encodeAll(trainData), eval = enc.encodeAll(evalData);
        if (state.path("data_fingerprint").asLong() != fingerprint(train)) {
            throw new CheckpointException(where, "this run trained on other preferences (fingerprint "
                    + state.path("data_fingerprint").asLong() + ", the data given have " + fingerprint(train)
                    + "); resume with the same training data");
        }
        RewardTrainer t = new RewardTrainer(model, cfg, train, eval, dir, listener);
        JsonNode rng = state.path("rng").path("batch_order"), pos = state.path("batch_position");
        JsonNode perm = pos.path("perm");
        if (!rng.path("seed").isIntegralNumber() || !rng.path("counter").isIntegralNumber()
                || !pos.path("cursor").canConvertToInt() || !perm.isArray() || perm.size() != t.perm.length
                || pos.path("cursor").intValue() < 0 || pos.path("cursor").intValue() > t.perm.length) {
            throw new CheckpointException.BadJson(where, "needs rng.batch_order {seed, counter} and batch_position "
                    + "{cursor, perm} of " + t.perm.length + " preferences");
        }
        t.order = new Generator(rng.get("seed").longValue(), rng.get("counter").longValue());
        for (int i = 0; i < t.perm.length; i++) {
            int v = perm.get(i).asInt(-1);
            if (v < 0 || v >= t.perm.length) {
                throw new CheckpointException.BadJson(where, "batch_position.perm[" + i + "] is " + perm.get(i));
            }
            t.perm[i] = v;
        }
        t.cursor = pos.get("cursor").intValue();
        t.step = state.path("step").asInt();
        t.skipped = state.path("skipped_steps").asLong();
        if (state.path("normalization").isObject()) {
            t.normalization = (ObjectNode) state.get("normalization");
        }
        Map<String, float[]> moments = new LinkedHashMap<>();
        for (NamedTensor n : ck.optimizer()) {
            moments.put(n.name(), n.data());
        }
        try {
            t.opt.loadState(state.path("optimizer_step").asLong(), moments);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where, "optimizer state does not fit the model: " + e.getMessage());
        }
        new MetricsLog(dir.resolve(METRICS)).truncateAfter(t.step);
        return t;
    }

    /** Trains for maxIters steps, then saves the model. */
    public void run() throws IOException {
        runUntil(cfg.maxIters());
    }

    /** Trains until {@code stop} steps are done (at most maxIters), then saves the model. */
    public void runUntil(int stop) throws IOException {
        if (stop > cfg.maxIters()) {
            throw new IllegalArgumentException("stop " + stop + " is past maxIters " + cfg.maxIters());
        }
        listener.started(cfg.maxIters(), model.parameterCount(), train, eval);
        long start = System.nanoTime();
        while (step < stop) {
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
            if ((cfg.checkpointInterval() > 0 && step % cfg.checkpointInterval() == 0) || step == stop) {
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
        state.put("format", FORMAT);
        state.put("step", step);
        state.put("skipped_steps", skipped);
        state.set("reward_config", cfg.toJson());
        state.put("optimizer_step", opt.stepCount());
        ObjectNode rng = state.putObject("rng").putObject("batch_order");
        rng.put("seed", order.seed());
        rng.put("counter", order.counter());
        ObjectNode pos = state.putObject("batch_position");
        pos.put("cursor", cursor);
        var permJson = pos.putArray("perm");
        for (int i : perm) {
            permJson.add(i);
        }
        state.put("data_fingerprint", fingerprint(train));
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
        Map<String, Tensor> params = model.namedParameters();
        List<NamedTensor> moments = new ArrayList<>();
        opt.state().forEach((key, values) -> {
            String param = key.substring(0, key.lastIndexOf(key.endsWith(".exp_avg_sq") ? ".exp_avg_sq" : ".exp_avg"));
            moments.add(NamedTensor.f32(key, params.get(param).dims(), values));
        });
        RewardCheckpoint.save(model, to, state, moments);
        listener.checkpointed(step, to);
    }

    /** A 64-bit FNV-1a hash of the kept training preferences: every token of every response, and the rankings. */
    static long fingerprint(RewardEncoder.Encoding data) {
        long h = 0xcbf29ce484222325L;
        for (RewardEncoder.Encoded e : data.kept()) {
            for (int[] seq : e.sequences()) {
                h = mix(h, seq.length);
                for (int id : seq) {
                    h = mix(h, id);
                }
            }
            for (int r : e.ranking()) {
                h = mix(h, ~r);
            }
        }
        return h;
    }

    private static long mix(long h, int v) {
        return (h ^ v) * 0x100000001b3L;
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

    /** The optimizer (its moments and step are what a checkpoint saves for resuming). */
    public AdamW optimizer() {
        return opt;
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
