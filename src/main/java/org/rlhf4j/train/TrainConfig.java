package org.rlhf4j.train;

import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.optim.LrSchedule;

/**
 * How a language model is trained, validated on construction (a bad value names its field). The
 * names follow nanoGPT's train.py ({@code batch_size}, {@code learning_rate}, ...); the snake_case
 * form of each is its key in checkpoints and in the CLI's {@code --set key=value} ({@link Overrides}).
 *
 * @param batchSize         B, sequences per micro-batch (nanoGPT {@code batch_size}). CPU recipe: 12.
 * @param blockSize         T, tokens per sequence (nanoGPT {@code block_size}); at most the model's
 *                          block size. CPU recipe: 64.
 * @param maxIters          optimizer steps in the run (nanoGPT {@code max_iters}). CPU recipe: 2000.
 * @param lr                the peak learning rate after warmup ({@code learning_rate}). Recipe: 1e-3.
 * @param minLr             the floor of the cosine decay ({@code min_lr}, nanoGPT: lr / 10). Recipe: 1e-4.
 * @param warmupIters       steps of linear warmup ({@code warmup_iters}). Recipe: 100.
 * @param lrDecayIters      the step at which the cosine reaches minLr ({@code lr_decay_iters}, nanoGPT:
 *                          max_iters). Recipe: 2000.
 * @param beta1             AdamW's first-moment decay. nanoGPT: 0.9.
 * @param beta2             AdamW's second-moment decay. nanoGPT: 0.95; shakespeare-char: 0.99.
 * @param weightDecay       AdamW's decoupled decay of the Linear weights. nanoGPT: 0.1.
 * @param gradClip          the global gradient norm is clipped to this; 0 disables clipping. nanoGPT: 1.0.
 * @param gradAccumSteps    micro-batches per optimizer step ({@code gradient_accumulation_steps});
 *                          tokens per step = gradAccumSteps * B * T. shakespeare-char: 1.
 * @param evalIters         batches per split whose mean loss is the evaluation ({@code eval_iters}).
 *                          CPU recipe: 20 (nanoGPT README's command line; the config file says 200).
 * @param evalInterval      evaluate after every evalInterval steps and after the last ({@code eval_interval}).
 *                          shakespeare-char: 250.
 * @param logInterval       write a metrics row every logInterval steps ({@code log_interval}). CPU recipe: 1.
 * @param checkpointInterval save a checkpoint every checkpointInterval steps (and always at the end);
 *                          0: only at the end. nanoGPT saves at evaluations; default: evalInterval.
 * @param seed              seeds the model's initialisation, the batch draws and dropout. nanoGPT: 1337.
 */
public record TrainConfig(int batchSize, int blockSize, int maxIters, double lr, double minLr, int warmupIters,
                          int lrDecayIters, double beta1, double beta2, double weightDecay, double gradClip,
                          int gradAccumSteps, int evalIters, int evalInterval, int logInterval,
                          int checkpointInterval, long seed) {

    public TrainConfig {
        positive("batchSize", batchSize);
        positive("blockSize", blockSize);
        positive("maxIters", maxIters);
        positive("gradAccumSteps", gradAccumSteps);
        positive("evalIters", evalIters);
        positive("evalInterval", evalInterval);
        positive("logInterval", logInterval);
        if (checkpointInterval < 0) {
            throw new IllegalArgumentException("checkpointInterval must be >= 0 (0: only at the end), got "
                    + checkpointInterval);
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new IllegalArgumentException("gradClip must be >= 0 and finite (0 disables it), got " + gradClip);
        }
        // the optimizer and the schedule validate the rest, with messages naming their fields
        new AdamWConfig(lr, beta1, beta2, 1e-8, weightDecay);
        new LrSchedule(lr, minLr, warmupIters, lrDecayIters);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /**
     * nanoGPT's shakespeare-char recipe for a CPU, as its README runs it:
     * {@code python train.py config/train_shakespeare_char.py --device=cpu --compile=False --eval_iters=20
     * --log_interval=1 --block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128
     * --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0}. From config/train_shakespeare_char.py:
     * eval_interval 250, learning_rate 1e-3, min_lr 1e-4, warmup_iters 100, beta2 0.99,
     * gradient_accumulation_steps 1; from train.py's defaults: beta1 0.9, weight_decay 0.1, grad_clip
     * 1.0, seed 1337. nanoGPT reports a validation loss of about 1.88 after it (with GptConfig.baby()).
     */
    public static TrainConfig shakespeareChar() {
        return new TrainConfig(12, 64, 2000, 1e-3, 1e-4, 100, 2000, 0.9, 0.99, 0.1, 1.0, 1, 20, 250, 1, 250, 1337L);
    }

    /** A smoke run of a few seconds: B 4, T 32, 50 steps, warmup 5, evaluation every 25 steps on 4 batches. */
    public static TrainConfig tiny() {
        return new TrainConfig(4, 32, 50, 3e-3, 3e-4, 5, 50, 0.9, 0.99, 0.1, 1.0, 1, 4, 25, 5, 25, 1337L);
    }

    /** The optimizer's hyperparameters (its lr is the peak; the schedule sets each step's). */
    public AdamWConfig adamW() {
        return new AdamWConfig(lr, beta1, beta2, 1e-8, weightDecay);
    }

    /** Linear warmup then cosine decay, nanoGPT's {@code get_lr}. */
    public LrSchedule schedule() {
        return new LrSchedule(lr, minLr, warmupIters, lrDecayIters);
    }

    /** Tokens that one optimizer step trains on: gradAccumSteps * B * T. */
    public long tokensPerStep() {
        return (long) gradAccumSteps * batchSize * blockSize;
    }

    public TrainConfig withMaxIters(int v) {
        return new TrainConfig(batchSize, blockSize, v, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, gradAccumSteps, evalIters, evalInterval, logInterval, checkpointInterval, seed);
    }

    public TrainConfig withBatchSize(int v) {
        return new TrainConfig(v, blockSize, maxIters, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, gradAccumSteps, evalIters, evalInterval, logInterval, checkpointInterval, seed);
    }

    public TrainConfig withBlockSize(int v) {
        return new TrainConfig(batchSize, v, maxIters, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, gradAccumSteps, evalIters, evalInterval, logInterval, checkpointInterval, seed);
    }

    public TrainConfig withGradAccumSteps(int v) {
        return new TrainConfig(batchSize, blockSize, maxIters, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, v, evalIters, evalInterval, logInterval, checkpointInterval, seed);
    }

    public TrainConfig withIntervals(int evalIters, int evalInterval, int logInterval, int checkpointInterval) {
        return new TrainConfig(batchSize, blockSize, maxIters, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, gradAccumSteps, evalIters, evalInterval, logInterval, checkpointInterval, seed);
    }

    public TrainConfig withSeed(long v) {
        return new TrainConfig(batchSize, blockSize, maxIters, lr, minLr, warmupIters, lrDecayIters, beta1, beta2,
                weightDecay, gradClip, gradAccumSteps, evalIters, evalInterval, logInterval, checkpointInterval, v);
    }
}
