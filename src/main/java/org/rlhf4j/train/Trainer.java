package org.rlhf4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.data.Batch;
import org.rlhf4j.data.SftEncoder;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.optim.LrSchedule;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;
import org.rlhf4j.tensor.Tensor;

/**
 * The pretraining / SFT loop, nanoGPT's train.py without the distributed parts. Each optimizer step:
 * <pre>
 *   1. batch            gradAccumSteps micro-batches from the seeded training generator
 *   2. forward + loss   mean cross-entropy over the targets (SFT: completion tokens only)
 *   3. backward         of loss / gradAccumSteps, so the gradients add up to the mean's
 *   4. clip             global norm to gradClip; a non-finite norm skips 5-6: parameters and AdamW's
 *                       moments and step stay as they were, the step counts (skipped_steps in
 *                       metrics.jsonl and the checkpoint). As with PyTorch's GradScaler under Hugging
 *                       Face Trainer, the update is skipped; unlike there, the step and so the lr
 *                       schedule still advance (a skipped step is a step of the run)
 *   5. lr schedule      linear warmup, cosine decay (nanoGPT's get_lr)
 *   6. AdamW step
 *   7. log / eval / checkpoint
 * </pre>
 * Evaluation (after every evalInterval steps and the last) is the mean loss of evalIters batches of
 * each split, in evaluation mode without gradients. Logged steps are appended to
 * {@code <dir>/metrics.jsonl} ({@link MetricsLog}); a checkpoint goes to {@code <dir>/checkpoint} every
 * checkpointInterval steps and at the end. Every random stream (training batches, evaluation batches,
 * dropout) is a {@link Generator} whose (seed, counter) the checkpoint stores, with the weights, AdamW's
 * moments and the step, so {@link #resume} continues bit for bit as an uninterrupted run would.
 */
public final class Trainer {

    public static final String CHECKPOINT_DIR = "checkpoint";

    private final Gpt model;
    private final Tokenizer tokenizer;
    private final TrainConfig cfg;
    private final TrainingData data;
    private final Path dir;
    private final TrainListener listener;
    private final AdamW opt;
    private final LrSchedule schedule;
    private final List<Tensor> params;
    private final Generator trainGen;
    private final Generator evalGen;
    private final TrainingData.Source trainBatches;
    private final TrainingData.Source evalTrain;
    private final TrainingData.Source evalVal;
    private final MetricsLog metrics;
    private int step;
    private long skipped;
    private double elapsedBefore;

    private Trainer(Gpt model, Tokenizer tokenizer, TrainConfig cfg, TrainingData data, Path dir,
                    TrainListener listener, Generator trainGen, Generator evalGen) throws IOException {
        if (cfg.blockSize() > model.config.blockSize()) {
            throw new IllegalArgumentException("block_size " + cfg.blockSize() + " exceeds the model's "
                    + model.config.blockSize() + " positions");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.cfg = cfg;
        this.data = data;
        this.dir = dir;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.opt = AdamW.forModel(model, cfg.adamW());
        this.schedule = cfg.schedule();
        this.params = model.parameters();
        this.trainGen = trainGen;
        this.evalGen = evalGen;
        this.trainBatches = data.batches(false, trainGen, cfg.batchSize(), cfg.blockSize());
        this.evalTrain = data.batches(false, evalGen, cfg.batchSize(), cfg.blockSize());
        this.evalVal = data.batches(true, evalGen, cfg.batchSize(), cfg.blockSize());
        this.metrics = new MetricsLog(dir.resolve(MetricsLog.FILE));
    }

    /**
     * A fresh run: the model is initialised from {@code cfg.seed()}, as are the batch generators.
     *
     * @param model the model, freshly built by the caller (e.g. {@code new Gpt(config, new Generator(seed))})
     * @param dir   the run's directory: metrics.jsonl and checkpoint/ go here
     */
    public static Trainer start(Gpt model, Tokenizer tokenizer, TrainConfig cfg, TrainingData data, Path dir,
                                TrainListener listener) throws IOException {
        Generator seeds = new Generator(cfg.seed() ^ 0x5DEECE66DL);
        Trainer t = new Trainer(model, tokenizer, cfg, data, dir, listener,
                new Generator(seeds.nextLong()), new Generator(seeds.nextLong()));
        t.metrics.truncateAfter(0);
        return t;
    }

    /**
     * Continues the run whose checkpoint was loaded into {@code loaded} (from {@code dir/checkpoint}),
     * on the same data: the model, optimizer, generators and step are restored, and metrics.jsonl
     * loses any rows written after the checkpoint.
     */
    public static Trainer resume(ModelCheckpoint.Loaded loaded, TrainingData data, Path dir, TrainListener listener)
            throws IOException {
        CheckpointData ck = loaded.data();
        ObjectNode state = ck.state();
        String where = dir.resolve(CHECKPOINT_DIR).resolve(Checkpoint.STATE).toString();
        TrainConfig cfg;
        try {
            cfg = ConfigJson.trainConfig(state.path("train_config"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException.BadJson(where, e.getMessage());
        }
        if (state.path("data_fingerprint").asLong() != data.fingerprint()) {
            throw new CheckpointException(where, "this run trained on other data (fingerprint "
                    + state.path("data_fingerprint").asLong() + ", the data given has " + data.fingerprint()
                    + "); resume with the same corpus");
        }
        JsonNode rng = state.path("rng");
        Trainer t = new Trainer(loaded.model().train(true), loaded.tokenizer(), cfg, data, dir, listener,
                generator(rng, "train_batches", where), generator(rng, "eval_batches", where));
        t.model.setDropoutGenerator(generator(rng, "dropout", where));
        t.step = state.path("step").asInt();
        t.skipped = state.path("skipped_steps").asLong();
        t.elapsedBefore = state.path("elapsed_sec").asDouble();
        ModelCheckpoint.loadOptimizer(t.opt, state.path("optimizer_step").asLong(), ck);
        t.metrics.truncateAfter(t.step);
        return t;
    }

    /** Trains to the config's maxIters. */
    public void run() throws IOException {
        runUntil(cfg.maxIters());
    }

    /** Trains until {@code stop} steps are done (at most maxIters), then checkpoints. */
    public void runUntil(int stop) throws IOException {
        if (stop > cfg.maxIters()) {
            throw new IllegalArgumentException("stop " + stop + " is past max_iters " + cfg.maxIters());
        }
        listener.started(step, cfg.maxIters(), model.parameterCount());
        model.train(true);
        long sessionStart = System.nanoTime(), windowTokens = 0, windowNanos = 0;
        while (step < stop) {
            long t0 = System.nanoTime();
            double lr = schedule.at(step);
            // 1.-3. batch, forward + loss, backward of loss / N over N micro-batches
            opt.zeroGrad();
            double lossSum = 0;
            int N = cfg.gradAccumSteps();
            for (int k = 0; k < N; k++) {
                Batch b = trainBatches.next();
                Tensor loss = model.loss(b.inputs(), b.targets(), b.batchSize(), b.blockSize(), SftEncoder.IGNORE_INDEX);
                lossSum += loss.item();
                (N == 1 ? loss : loss.scale(1f / N)).backward();
                windowTokens += b.inputs().length;
            }
            // 4. clip (returns the norm before clipping)
            double norm = cfg.gradClip() > 0 ? GradClip.clipGlobalNorm(params, cfg.gradClip())
                    : GradClip.globalNorm(params);
            boolean skip = !Double.isFinite(norm);
            if (skip) {
                skipped++;
            } else {
                opt.setLearningRate(lr); // 5. lr schedule
                opt.step();              // 6. AdamW step
            }
            opt.zeroGrad();
            step++;
            windowNanos += System.nanoTime() - t0;
            // 7. log / eval / checkpoint
            boolean evaluate = step % cfg.evalInterval() == 0 || step == cfg.maxIters();
            double val = Double.NaN, evalTrainLoss = Double.NaN;
            if (evaluate) {
                evalTrainLoss = estimateLoss(evalTrain);
                val = estimateLoss(evalVal);
            }
            boolean logged = step % cfg.logInterval() == 0 || evaluate || step == stop;
            double elapsed = elapsedBefore + (System.nanoTime() - sessionStart) / 1e9;
            StepMetrics m = new StepMetrics(step, cfg.maxIters(), lossSum / N, lr, norm, skip,
                    windowTokens / Math.max(windowNanos / 1e9, 1e-9), elapsed, val, evalTrainLoss, logged);
            if (logged) {
                metrics.append(m, skipped);
                windowTokens = 0;
                windowNanos = 0;
            }
            listener.step(m);
            if ((cfg.checkpointInterval() > 0 && step % cfg.checkpointInterval() == 0) || step == stop) {
                save(elapsedBefore + (System.nanoTime() - sessionStart) / 1e9);
            }
        }
        elapsedBefore += (System.nanoTime() - sessionStart) / 1e9;
    }

    /** The mean loss of evalIters batches from {@code source}, in evaluation mode without gradients. */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    private double estimateLoss(TrainingData.Source source) {
        model.eval();
        double sum = 0;
        try (NoGrad ignored = Autograd.noGrad()) {
            for (int i = 0; i < cfg.evalIters(); i++) {
                Batch b = source.next();
                sum += model.loss(b.inputs(), b.targets(), b.batchSize(), b.blockSize(), SftEncoder.IGNORE_INDEX).item();
            }
        } finally {
            model.train(true);
        }
        return sum / cfg.evalIters();
    }

    /** Writes {@code dir/checkpoint} atomically: weights, config, tokenizer, AdamW state and state.json. */
    private void save(double elapsed) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode state = f.objectNode();
        state.put("step", step);
        state.put("optimizer_step", opt.stepCount());
        state.put("skipped_steps", skipped);
        state.put("elapsed_sec", elapsed);
        state.put("tokens_per_step", cfg.tokensPerStep());
        state.put("data_fingerprint", data.fingerprint());
        state.set("train_config", ConfigJson.toJson(cfg));
        ObjectNode rng = state.putObject("rng");
        put(rng, "train_batches", trainGen);
        put(rng, "eval_batches", evalGen);
        put(rng, "dropout", model.dropoutGenerator());
        Path to = dir.resolve(CHECKPOINT_DIR);
        Checkpoint.save(to, new CheckpointData(ModelCheckpoint.weights(model), ConfigJson.toJson(model.config),
                tokenizer == null ? null : tokenizer.toJson(), ModelCheckpoint.optimizer(model, opt), state));
        listener.checkpointed(step, to);
    }

    private static void put(ObjectNode rng, String name, Generator g) {
        ObjectNode o = rng.putObject(name);
        o.put("seed", g.seed());
        o.put("counter", g.counter());
    }

    private static Generator generator(JsonNode rng, String name, String where) throws CheckpointException {
        JsonNode o = rng.path(name);
        if (!o.path("seed").isIntegralNumber() || !o.path("counter").isIntegralNumber()) {
            throw new CheckpointException.BadJson(where, "rng." + name + " needs integer \"seed\" and \"counter\"");
        }
        return new Generator(o.get("seed").longValue(), o.get("counter").longValue());
    }

    public Gpt model() {
        return model;
    }

    public TrainConfig config() {
        return cfg;
    }

    public AdamW optimizer() {
        return opt;
    }

    /** Optimizer steps done (including skipped ones). */
    public int step() {
        return step;
    }

    /** Steps skipped because the gradient norm was not finite. */
    public long skippedSteps() {
        return skipped;
    }
}
