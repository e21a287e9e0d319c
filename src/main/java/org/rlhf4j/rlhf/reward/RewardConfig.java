package org.rlhf4j.rlhf.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.optim.LrSchedule;

/**
 * How a reward model is trained, validated on construction (a bad value names its field). Defaults
 * ({@link #defaults()}) follow InstructGPT's reward model (Ouyang et al. 2022, appendix C.2: lr 9e-6,
 * cosine decay to 10% of it, batch 64) and, where the paper is silent, Hugging Face's Trainer defaults
 * that TRL's RewardTrainer inherits (AdamW betas 0.9/0.999, weight decay 0, gradient clip 1.0, no warmup).
 *
 * @param batchSize          preferences per step; a ranking of K counts once (InstructGPT: 64)
 * @param maxIters           optimizer steps (InstructGPT trains for one epoch). Default 1000.
 * @param lr                 peak learning rate (InstructGPT: 9e-6 for a pretrained 6B trunk)
 * @param minLr              floor of the cosine decay (InstructGPT: 10% of lr)
 * @param warmupIters        steps of linear warmup (HF Trainer: 0)
 * @param beta1              AdamW's first-moment decay (HF Trainer: 0.9)
 * @param beta2              AdamW's second-moment decay (HF Trainer: 0.999)
 * @param weightDecay        decoupled decay of Linear weights and the score head (HF Trainer: 0)
 * @param gradClip           global gradient norm bound, 0 disables (HF Trainer max_grad_norm: 1.0)
 * @param margin             m in -log sigma(r_w - r_l - m) (Llama 2 uses rating-dependent margins; 0 is plain
 *                           Bradley-Terry, TRL's default without a margin column)
 * @param centerCoef         c in + c (r_w + r_l)^2 (TRL center_rewards_coefficient; default off; TRL's docs
 *                           suggest 0.01, after Eisenstein et al. 2023)
 * @param maxLength          longest prompt + response in tokens, also capped by the model's block size
 *                           (TRL RewardConfig max_length: 1024)
 * @param overLength         what training does with longer examples (TRL drops them: {@link OverLength#DROP})
 * @param evalInterval       evaluate on the held-out preferences every evalInterval steps and after the last
 * @param logInterval        write a metrics row every logInterval steps (and on evaluated steps)
 * @param checkpointInterval save the model every checkpointInterval steps (and always at the end); 0: end only
 * @param normalizeScale     after training, scale as well as shift rewards so that the reference samples have
 *                           std 1, not only mean 0 (RLHF.md stage 2; lm-human-preferences does both)
 * @param seed               seeds the head's (and a fresh trunk's) initialisation and the batch order.
 *                           Default 1337, as nanoGPT.
 */
public record RewardConfig(int batchSize, int maxIters, double lr, double minLr, int warmupIters, double beta1,
                           double beta2, double weightDecay, double gradClip, double margin, double centerCoef,
                           int maxLength, OverLength overLength, int evalInterval, int logInterval,
                           int checkpointInterval, boolean normalizeScale, long seed) {

    public RewardConfig {
        positive("batchSize", batchSize);
        positive("maxIters", maxIters);
        positive("maxLength", maxLength);
        positive("evalInterval", evalInterval);
        positive("logInterval", logInterval);
        if (checkpointInterval < 0) {
            throw new IllegalArgumentException("checkpointInterval must be >= 0 (0: only at the end), got "
                    + checkpointInterval);
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new IllegalArgumentException("gradClip must be >= 0 and finite (0 disables it), got " + gradClip);
        }
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, got " + margin);
        }
        if (!(centerCoef >= 0) || Double.isInfinite(centerCoef)) {
            throw new IllegalArgumentException("centerCoef must be >= 0 and finite, got " + centerCoef);
        }
        if (overLength == null) {
            throw new IllegalArgumentException("overLength must be DROP or TRUNCATE_PROMPT_LEFT, got null");
        }
        if (warmupIters > maxIters) {
            throw new IllegalArgumentException("warmupIters " + warmupIters + " is past maxIters " + maxIters);
        }
        // the optimizer and the schedule check the rest, with messages naming their fields
        new AdamWConfig(lr, beta1, beta2, 1e-8, weightDecay);
        new LrSchedule(lr, minLr, warmupIters, maxIters);
    }

    /** This config as JSON, one key per component, named as the component (the state.json of a reward run). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("batchSize", batchSize);
        o.put("maxIters", maxIters);
        o.put("lr", lr);
        o.put("minLr", minLr);
        o.put("warmupIters", warmupIters);
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("weightDecay", weightDecay);
        o.put("gradClip", gradClip);
        o.put("margin", margin);
        o.put("centerCoef", centerCoef);
        o.put("maxLength", maxLength);
        o.put("overLength", overLength.name());
        o.put("evalInterval", evalInterval);
        o.put("logInterval", logInterval);
        o.put("checkpointInterval", checkpointInterval);
        o.put("normalizeScale", normalizeScale);
        o.put("seed", seed);
        return o;
    }

    /**
     * The config of a {@link #toJson()} object.
     *
     * @throws IllegalArgumentException when a key is missing, has the wrong type, or the values are invalid
     */
    public static RewardConfig fromJson(JsonNode o) {
        defaults().toJson().fieldNames().forEachRemaining(k -> {
            JsonNode v = o.get(k);
            if (v == null || !(v.isNumber() || v.isBoolean() || v.isTextual())) {
                throw new IllegalArgumentException("reward config: \"" + k + "\" is missing or not a value");
            }
        });
        OverLength policy;
        try {
            policy = OverLength.valueOf(o.get("overLength").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reward config: overLength must be DROP or TRUNCATE_PROMPT_LEFT, got "
                    + o.get("overLength"), e);
        }
        return new RewardConfig(o.get("batchSize").asInt(), o.get("maxIters").asInt(), o.get("lr").asDouble(),
                o.get("minLr").asDouble(), o.get("warmupIters").asInt(), o.get("beta1").asDouble(),
                o.get("beta2").asDouble(), o.get("weightDecay").asDouble(), o.get("gradClip").asDouble(),
                o.get("margin").asDouble(), o.get("centerCoef").asDouble(), o.get("maxLength").asInt(), policy,
                o.get("evalInterval").asInt(), o.get("logInterval").asInt(), o.get("checkpointInterval").asInt(),
                o.get("normalizeScale").asBoolean(), o.get("seed").asLong());
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /** For a pretrained trunk: InstructGPT's schedule with HF Trainer's optimizer defaults (see the class). */
    public static RewardConfig defaults() {
        return new RewardConfig(64, 1000, 9e-6, 9e-7, 0, 0.9, 0.999, 0.0, 1.0, 0.0, 0.0, 1024, OverLength.DROP,
                100, 10, 0, true, 1337L);
    }

    /**
     * For a small trunk trained from scratch on a CPU (a fresh trunk needs a far higher rate than a
     * pretrained one): batch 32, 300 steps, lr 1e-3 to 1e-4 after 20 warmup steps, weight decay 0.1
     * (nanoGPT's), evaluation every 50 steps.
     */
    public static RewardConfig fromScratch() {
        return new RewardConfig(32, 300, 1e-3, 1e-4, 20, 0.9, 0.99, 0.1, 1.0, 0.0, 0.0, 256, OverLength.DROP,
                50, 5, 0, true, 1337L);
    }

    /** The optimizer's hyperparameters (its lr is the peak; the schedule sets each step's). */
    public AdamWConfig adamW() {
        return new AdamWConfig(lr, beta1, beta2, 1e-8, weightDecay);
    }

    /** Linear warmup then cosine decay to minLr at maxIters. */
    public LrSchedule schedule() {
        return new LrSchedule(lr, minLr, warmupIters, maxIters);
    }

    public RewardConfig withBatchSize(int v) {
        return new RewardConfig(v, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip, margin,
                centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    /**
     * {@code v} steps. A warmup longer than the new run is cut to a tenth of it ({@code v / 10}, rounded
     * down), not to {@code v}: a run that is all warmup never reaches its peak rate. Set the warmup after
     * the steps ({@link #withWarmupIters}) to choose it.
     */
    public RewardConfig withMaxIters(int v) {
        return new RewardConfig(batchSize, v, lr, minLr, warmupIters > v ? v / 10 : warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval,
                normalizeScale, seed);
    }

    /** The peak rate {@code v}, with the floor at the same fraction of it as before. */
    public RewardConfig withLr(double v) {
        return new RewardConfig(batchSize, maxIters, v, minLr / lr * v, warmupIters, beta1, beta2, weightDecay,
                gradClip, margin, centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval,
                normalizeScale, seed);
    }

    public RewardConfig withWarmupIters(int v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, v, beta1, beta2, weightDecay, gradClip, margin,
                centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    public RewardConfig withWeightDecay(double v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, v, gradClip, margin,
                centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    public RewardConfig withMargin(double v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip, v,
                centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    public RewardConfig withCenterCoef(double v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, v, maxLength, overLength, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    public RewardConfig withMaxLength(int v, OverLength policy) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, centerCoef, v, policy, evalInterval, logInterval, checkpointInterval, normalizeScale, seed);
    }

    public RewardConfig withIntervals(int evalInterval, int logInterval, int checkpointInterval) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval,
                normalizeScale, seed);
    }

    public RewardConfig withNormalizeScale(boolean v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval, v, seed);
    }

    public RewardConfig withSeed(long v) {
        return new RewardConfig(batchSize, maxIters, lr, minLr, warmupIters, beta1, beta2, weightDecay, gradClip,
                margin, centerCoef, maxLength, overLength, evalInterval, logInterval, checkpointInterval,
                normalizeScale, v);
    }
}
