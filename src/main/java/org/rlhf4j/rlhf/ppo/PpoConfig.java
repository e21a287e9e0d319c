package org.rlhf4j.rlhf.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.rlhf.KlEstimators;

/**
 * Every knob of {@link PpoTrainer}, validated on construction (a bad value names its field). Sources:
 * TRL = Hugging Face TRL's {@code PPOConfig} (current, and the older one with the adaptive controller);
 * Ziegler = Ziegler et al. 2019; InstructGPT = Ouyang et al. 2022; Huang = Huang et al. 2024, "The N
 * Implementation Details of RLHF with PPO"; Schulman = Schulman et al. 2017 (PPO) and 2015 (GAE).
 *
 * @param rolloutBatch     prompts (and so responses) per iteration. TRL: batch size; default 16.
 * @param maxNewTokens     the most tokens a response may have (TRL {@code response_length}: 53); default 32.
 *                         Must be below the policy's block size; longer prompts lose their first tokens.
 * @param temperature      rollout temperature (> 0); every log-prob, policy and reference, is taken under
 *                         {@code logits / temperature} (Huang, detail "temperature"). TRL default 0.7.
 * @param topK             top-k filter of the rollout sampler, 0 for none (TRL: none). The log-probs stay
 *                         those of the full {@code softmax(logits / temperature)}, as in TRL. Default 0.
 * @param topP             nucleus filter of the rollout sampler, 1 for none (TRL: none). Default 1.
 * @param stopToken        what ends a response: {@code "eos"} for the tokenizer's end-of-text token (none
 *                         when it has none, e.g. a character tokenizer), {@code "none"}, or a text that
 *                         encodes to exactly one token (e.g. {@code "\n"} or {@code "."}). TRL
 *                         {@code stop_token}. Default "eos".
 * @param ppoEpochs        passes over each rollout batch (TRL {@code num_ppo_epochs}: 4). Default 4.
 * @param miniBatches      minibatches per epoch, one optimizer step each (TRL {@code num_mini_batches}: 1).
 *                         Must divide rolloutBatch. Default 2.
 * @param gradAccum        micro-batches per minibatch, gradients accumulated (TRL
 *                         {@code gradient_accumulation_steps}: 1). Must divide rolloutBatch / miniBatches. Default 1.
 * @param lr               AdamW learning rate of policy and value model, constant. Older TRL PPOConfig:
 *                         1.41e-5; tiny models want more. Default 1e-4.
 * @param beta1            Adam beta1 (PyTorch: 0.9). Default 0.9.
 * @param beta2            Adam beta2 (PyTorch: 0.999). Default 0.999.
 * @param adamEps          Adam eps. Huang (detail "Adam epsilon"): OpenAI's lm-human-preferences uses 1e-5
 *                         where PyTorch defaults to 1e-8. Default 1e-5.
 * @param weightDecay      AdamW decay of Linear weights (TRL: 0). Default 0.
 * @param clipRange        epsilon of the clipped policy objective (Schulman 2017; TRL {@code cliprange}: 0.2).
 *                         Default 0.2.
 * @param clipRangeValue   epsilon of the clipped value loss (TRL {@code cliprange_value}: 0.2). Default 0.2.
 * @param vfCoef           weight of the value loss in the total loss (TRL {@code vf_coef}: 0.1). Default 0.1.
 * @param gamma            discount (TRL: 1). Default 1.
 * @param lambda           GAE lambda (Schulman 2015; TRL {@code lam}: 0.95). Default 0.95.
 * @param klEstimator      per-token KL estimator of the penalty: K1 (TRL's default), K2 or K3. Default K1.
 * @param initKlCoef       beta, the KL penalty's coefficient at the start (older TRL {@code init_kl_coef}:
 *                         0.2; current TRL {@code kl_coef}: 0.05). Default 0.2.
 * @param adaptiveKl       steer beta toward klTarget (Ziegler; older TRL {@code adap_kl_ctrl}: true) or keep
 *                         it fixed. Default true.
 * @param klTarget         target KL in nats per response for the adaptive controller (Ziegler, TRL: 6). Default 6.
 * @param klHorizon        horizon in samples of the adaptive controller (Ziegler, TRL: 10000). Default 10000.
 * @param whitenRewards    whiten the per-token rewards (masked, no mean shift) before GAE (TRL
 *                         {@code whiten_rewards}: false). Default false.
 * @param scoreNorm        running normalization of the scores: NONE, SCALE (divide by the running std;
 *                         older TRL {@code use_score_scaling}) or NORMALIZE (also subtract the running mean;
 *                         {@code use_score_norm}). Default NONE.
 * @param missingEosPenalty subtracted from the score of a response that ends without the stop token (TRL
 *                         {@code missing_eos_penalty}, 1.0 in its example scripts); not applied when there is
 *                         no stop token. Default 1.
 * @param ratioThreshold   a minibatch whose mean probability ratio exceeds it is skipped (no update) and
 *                         counted (older TRL {@code ratio_threshold}: 10). Default 10.
 * @param maxGradNorm      global gradient-norm clip over policy and value parameters together (TRL
 *                         {@code max_grad_norm}: 1). Default 1.
 * @param valueInit        where the value model starts: POLICY_HEAD (a copy of the policy's trunk with a
 *                         zero-initialised scalar head) or FROM_REWARD_MODEL (a copy of the reward model,
 *                         TRL's choice; needs a reward model with the policy's tokenizer). Default POLICY_HEAD.
 * @param seed             seeds the rollout sampler and the minibatch shuffles. Default 0.
 */
public record PpoConfig(int rolloutBatch, int maxNewTokens, float temperature, int topK, float topP,
                        String stopToken, int ppoEpochs, int miniBatches, int gradAccum, double lr, double beta1,
                        double beta2, double adamEps, double weightDecay, double clipRange, double clipRangeValue,
                        double vfCoef, double gamma, double lambda, KlEstimators.Kind klEstimator,
                        double initKlCoef, boolean adaptiveKl, double klTarget, double klHorizon,
                        boolean whitenRewards, ScoreNorm scoreNorm, double missingEosPenalty, double ratioThreshold,
                        double maxGradNorm, ValueInit valueInit, long seed) {

    /** Where the value model's weights come from. */
    public enum ValueInit {
        /**
         * A separate copy of the policy's trunk plus a scalar head initialised to zero (so every value starts
         * at 0). Separate, not shared: the value loss never moves the policy's weights (TRL's current trainer
         * also keeps policy and value apart).
         */
        POLICY_HEAD,
        /** A copy of the reward model, trunk and head (TRL, InstructGPT). */
        FROM_REWARD_MODEL
    }

    /** Running normalization of the scores before the KL penalty is added. */
    public enum ScoreNorm { NONE, SCALE, NORMALIZE }

    public PpoConfig {
        positive("rolloutBatch", rolloutBatch);
        positive("maxNewTokens", maxNewTokens);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite (log-probs are taken under "
                    + "logits / temperature), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (stopToken == null || stopToken.isEmpty()) {
            throw new IllegalArgumentException("stopToken must be \"eos\", \"none\" or the text of one token, got "
                    + (stopToken == null ? "null" : "an empty string"));
        }
        positive("ppoEpochs", ppoEpochs);
        positive("miniBatches", miniBatches);
        positive("gradAccum", gradAccum);
        if (rolloutBatch % miniBatches != 0) {
            throw new IllegalArgumentException("miniBatches (" + miniBatches + ") must divide rolloutBatch ("
                    + rolloutBatch + ")");
        }
        if ((rolloutBatch / miniBatches) % gradAccum != 0) {
            throw new IllegalArgumentException("gradAccum (" + gradAccum + ") must divide the minibatch size "
                    + "rolloutBatch / miniBatches = " + rolloutBatch / miniBatches);
        }
        positiveFinite("lr", lr);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        positiveFinite("adamEps", adamEps);
        nonNegative("weightDecay", weightDecay);
        positiveFinite("clipRange", clipRange);
        positiveFinite("clipRangeValue", clipRangeValue);
        nonNegative("vfCoef", vfCoef);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
        }
        if (klEstimator == null) {
            throw new IllegalArgumentException("klEstimator must be K1, K2 or K3, got null");
        }
        nonNegative("initKlCoef", initKlCoef);
        positiveFinite("klTarget", klTarget);
        positiveFinite("klHorizon", klHorizon);
        if (scoreNorm == null) {
            throw new IllegalArgumentException("scoreNorm must be NONE, SCALE or NORMALIZE, got null");
        }
        nonNegative("missingEosPenalty", missingEosPenalty);
        if (!(ratioThreshold > 1) || Double.isNaN(ratioThreshold)) {
            throw new IllegalArgumentException("ratioThreshold must be > 1 (the ratio starts at 1), got "
                    + ratioThreshold);
        }
        positiveFinite("maxGradNorm", maxGradNorm);
        if (valueInit == null) {
            throw new IllegalArgumentException("valueInit must be POLICY_HEAD or FROM_REWARD_MODEL, got null");
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }

    private static void positiveFinite(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be positive and finite, got " + v);
        }
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be >= 0 and finite, got " + v);
        }
    }

    /** The defaults documented on each component. */
    public static PpoConfig defaults() {
        return new PpoConfig(16, 32, 0.7f, 0, 1f, "eos", 4, 2, 1, 1e-4, 0.9, 0.999, 1e-5, 0.0, 0.2, 0.2, 0.1, 1.0,
                0.95, KlEstimators.Kind.K1, 0.2, true, 6.0, 10000.0, false, ScoreNorm.NONE, 1.0, 10.0, 1.0,
                ValueInit.POLICY_HEAD, 0L);
    }

    // --------------------------------------------------------------------------------------------
    // JSON (checkpoints) and key=value settings (the CLI), under TRL-style snake_case names
    // --------------------------------------------------------------------------------------------

    /** The config as JSON with snake_case keys ({@link #keys()}). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rollout_batch", rolloutBatch);
        o.put("max_new_tokens", maxNewTokens);
        o.put("temperature", (double) temperature);
        o.put("top_k", topK);
        o.put("top_p", (double) topP);
        o.put("stop_token", stopToken);
        o.put("ppo_epochs", ppoEpochs);
        o.put("mini_batches", miniBatches);
        o.put("grad_accum", gradAccum);
        o.put("lr", lr);
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("adam_eps", adamEps);
        o.put("weight_decay", weightDecay);
        o.put("clip_range", clipRange);
        o.put("clip_range_value", clipRangeValue);
        o.put("vf_coef", vfCoef);
        o.put("gamma", gamma);
        o.put("lambda", lambda);
        o.put("kl_estimator", klEstimator.name().toLowerCase(Locale.ROOT));
        o.put("init_kl_coef", initKlCoef);
        o.put("adaptive_kl", adaptiveKl);
        o.put("kl_target", klTarget);
        o.put("kl_horizon", klHorizon);
        o.put("whiten_rewards", whitenRewards);
        o.put("score_norm", scoreNorm.name().toLowerCase(Locale.ROOT));
        o.put("missing_eos_penalty", missingEosPenalty);
        o.put("ratio_threshold", ratioThreshold);
        o.put("max_grad_norm", maxGradNorm);
        o.put("value_init", valueInit.name().toLowerCase(Locale.ROOT));
        o.put("seed", seed);
        return o;
    }

    /** Every key of {@link #toJson()}, in order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        defaults().toJson().fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The config of a {@link #toJson()} object; every key required. */
    public static PpoConfig fromJson(JsonNode o) {
        for (String k : keys()) {
            if (!o.has(k)) {
                throw new IllegalArgumentException("PPO config: \"" + k + "\" is missing");
            }
        }
        return new PpoConfig(o.get("rollout_batch").asInt(), o.get("max_new_tokens").asInt(), (float)
                o.get("temperature").asDouble(), o.get("top_k").asInt(), (float) o.get("top_p").asDouble(),
                o.get("stop_token").asText(), o.get("ppo_epochs").asInt(), o.get("mini_batches").asInt(),
                o.get("grad_accum").asInt(), o.get("lr").asDouble(), o.get("beta1").asDouble(),
                o.get("beta2").asDouble(), o.get("adam_eps").asDouble(), o.get("weight_decay").asDouble(),
                o.get("clip_range").asDouble(), o.get("clip_range_value").asDouble(), o.get("vf_coef").asDouble(),
                o.get("gamma").asDouble(), o.get("lambda").asDouble(), enumOf(KlEstimators.Kind.class, "kl_estimator",
                o.get("kl_estimator").asText()), o.get("init_kl_coef").asDouble(), o.get("adaptive_kl").asBoolean(),
                o.get("kl_target").asDouble(), o.get("kl_horizon").asDouble(), o.get("whiten_rewards").asBoolean(),
                enumOf(ScoreNorm.class, "score_norm", o.get("score_norm").asText()),
                o.get("missing_eos_penalty").asDouble(), o.get("ratio_threshold").asDouble(),
                o.get("max_grad_norm").asDouble(), enumOf(ValueInit.class, "value_init",
                o.get("value_init").asText()), o.get("seed").asLong());
    }

    /**
     * This config with {@code key=value} settings applied ({@link #keys()}; '-' may stand for '_'). A value
     * is parsed as its field's type; an unknown key or a bad value names itself and what would do.
     */
    public PpoConfig with(Map<String, String> settings) {
        ObjectNode o = toJson();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey().trim().replace('-', '_'), value = e.getValue().trim();
            JsonNode old = o.get(key);
            if (old == null) {
                throw new IllegalArgumentException("unknown PPO setting '" + e.getKey() + "'; known: "
                        + String.join(", ", keys()));
            }
            try {
                if (old.isTextual()) {
                    o.put(key, key.equals("stop_token") ? e.getValue() : value);
                } else if (old.isBoolean()) {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    o.put(key, Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
                } else if (old.isIntegralNumber()) {
                    o.put(key, Long.parseLong(value.replace("_", "")));
                } else {
                    double d = Double.parseDouble(value);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    o.put(key, d);
                }
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(key + "=" + value + ": " + key + " takes "
                        + (old.isBoolean() ? "true or false"
                        : old.isIntegralNumber() ? "an integer" : "a finite number"));
            }
        }
        return fromJson(o);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String key, String value) {
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(c.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + "=" + value + ": " + key + " takes one of " + names);
    }

    public PpoConfig withRolloutBatch(int v) {
        return new PpoConfig(v, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches, gradAccum,
                lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda, klEstimator,
                initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withMaxNewTokens(int v) {
        return new PpoConfig(rolloutBatch, v, temperature, topK, topP, stopToken, ppoEpochs, miniBatches, gradAccum,
                lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda, klEstimator,
                initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withTemperature(float v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, v, topK, topP, stopToken, ppoEpochs, miniBatches, gradAccum,
                lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda, klEstimator,
                initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withTopK(int v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, v, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withTopP(float v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, v, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withStopToken(String v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, v, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withPpoEpochs(int v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, v, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withMiniBatches(int v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, v, gradAccum,
                lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda, klEstimator,
                initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withGradAccum(int v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                v, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withLr(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, v, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withBeta1(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, v, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withBeta2(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, v, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withAdamEps(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, v, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withWeightDecay(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, v, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withClipRange(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, v, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withClipRangeValue(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, v, vfCoef, gamma, lambda, klEstimator,
                initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withVfCoef(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, v, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withGamma(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, v, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withLambda(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, v,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withKlEstimator(KlEstimators.Kind v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                v, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withInitKlCoef(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, v, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withAdaptiveKl(boolean v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, v, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withKlTarget(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, v, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withKlHorizon(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, v, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withWhitenRewards(boolean v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, v, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withScoreNorm(ScoreNorm v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, v, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withMissingEosPenalty(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, v, ratioThreshold,
                maxGradNorm, valueInit, seed);
    }

    public PpoConfig withRatioThreshold(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                v, maxGradNorm, valueInit, seed);
    }

    public PpoConfig withMaxGradNorm(double v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, v, valueInit, seed);
    }

    public PpoConfig withValueInit(ValueInit v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, v, seed);
    }

    public PpoConfig withSeed(long v) {
        return new PpoConfig(rolloutBatch, maxNewTokens, temperature, topK, topP, stopToken, ppoEpochs, miniBatches,
                gradAccum, lr, beta1, beta2, adamEps, weightDecay, clipRange, clipRangeValue, vfCoef, gamma, lambda,
                klEstimator, initKlCoef, adaptiveKl, klTarget, klHorizon, whitenRewards, scoreNorm, missingEosPenalty,
                ratioThreshold, maxGradNorm, valueInit, v);
    }
}
