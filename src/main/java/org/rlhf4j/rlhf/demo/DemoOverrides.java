package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.rlhf.reward.RewardConfig;
import org.rlhf4j.train.Overrides;
import org.rlhf4j.train.Recipe;
import org.rlhf4j.train.TrainConfig;

/**
 * {@code key=value} changes to a {@link DemoConfig}, as the command line's {@code --set}. Keys:
 * <ul>
 *   <li>the demo's own: {@link #KEYS} ({@code seed} first re-derives every seed, then the rest apply)</li>
 *   <li>{@code pretrain.<key>}: any key of train's {@link Overrides} (nanoGPT's names, e.g.
 *       {@code pretrain.max_iters=500}, {@code pretrain.n_layer=2})</li>
 *   <li>{@code reward.iters}, {@code reward.lr}, {@code reward.batch_size}</li>
 *   <li>{@code ppo.<key>}: {@link PpoOverrides#keys()} ({@code ppo.iterations} and PpoConfig's keys)</li>
 * </ul>
 * An unknown key or a bad value is an {@link IllegalArgumentException} naming it and what is accepted.
 */
public final class DemoOverrides {

    public static final List<String> KEYS = List.of("seed", "train_prompts", "held_out_prompts", "prompt_chars",
            "completions", "response_tokens", "temperature", "panel_size", "aggregation", "reward_hold_out", "uci_pairs", "window_items",
            "eval_samples", "eval_panel_size", "shown_samples");
    public static final List<String> REWARD_KEYS = List.of("reward.iters", "reward.lr", "reward.batch_size");

    private DemoOverrides() {
    }

    /** Every key {@link #apply} accepts ({@code pretrain.*} stands for train's keys). */
    public static List<String> keys() {
        List<String> all = new ArrayList<>(KEYS);
        all.add("pretrain.<" + String.join("|", Overrides.keys()) + ">");
        all.addAll(REWARD_KEYS);
        PpoOverrides.keys().forEach(k -> all.add("ppo." + k));
        return all;
    }

    public static DemoConfig apply(DemoConfig c, Map<String, String> overrides) {
        Map<String, String> rest = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim().replace('-', '_');
            if (key.equals("seed")) {
                c = c.withSeed(parseLong(key, e.getValue()));
            } else {
                rest.put(key, e.getValue().trim());
            }
        }
        Recipe pretrain = c.pretrain();
        Map<String, String> pretrainKeys = new LinkedHashMap<>(), ppoKeys = new LinkedHashMap<>();
        int trainPrompts = c.trainPrompts(), heldOutPrompts = c.heldOutPrompts(), promptChars = c.promptChars();
        int completions = c.completions(), responseTokens = c.responseTokens(), panelSize = c.panelSize();
        int evalSamples = c.evalSamples(), evalPanelSize = c.evalPanelSize(), shownSamples = c.shownSamples();
        float temperature = c.temperature();
        double holdOut = c.rewardHoldOut();
        int uciPairs = c.uciPairs(), windowItems = c.windowItems();
        AnnotatorPanel.Aggregation aggregation = c.aggregation();
        RewardConfig reward = c.reward();
        for (Map.Entry<String, String> e : rest.entrySet()) {
            String key = e.getKey(), v = e.getValue();
            if (key.startsWith("pretrain.")) {
                pretrainKeys.put(key.substring("pretrain.".length()), v);
                continue;
            }
            if (key.startsWith("ppo.")) {
                ppoKeys.put(key.substring("ppo.".length()), v);
                continue;
            }
            switch (key) {
                case "train_prompts" -> trainPrompts = parseInt(key, v);
                case "held_out_prompts" -> heldOutPrompts = parseInt(key, v);
                case "prompt_chars" -> promptChars = parseInt(key, v);
                case "completions" -> completions = parseInt(key, v);
                case "response_tokens" -> responseTokens = parseInt(key, v);
                case "temperature" -> temperature = (float) parseDouble(key, v);
                case "panel_size" -> panelSize = parseInt(key, v);
                case "aggregation" -> aggregation = parseAggregation(key, v);
                case "reward_hold_out" -> holdOut = parseDouble(key, v);
                case "uci_pairs" -> uciPairs = parseInt(key, v);
                case "window_items" -> windowItems = parseInt(key, v);
                case "eval_samples" -> evalSamples = parseInt(key, v);
                case "eval_panel_size" -> evalPanelSize = parseInt(key, v);
                case "shown_samples" -> shownSamples = parseInt(key, v);
                case "reward.iters" -> reward = reward.withMaxIters(parseInt(key, v));
                case "reward.lr" -> reward = reward.withLr(parseDouble(key, v));
                case "reward.batch_size" -> reward = reward.withBatchSize(parseInt(key, v));
                default -> throw new IllegalArgumentException("unknown setting '" + key + "'; known settings: "
                        + String.join(", ", keys()));
            }
        }
        if (!pretrainKeys.isEmpty()) {
            try {
                pretrain = Overrides.apply(pretrain, pretrainKeys);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("pretrain." + ex.getMessage(), ex);
            }
        }
        if (pretrainKeys.containsKey("max_iters") && !pretrainKeys.containsKey("lr_decay_iters")) {
            pretrain = pretrain.with(pretrain.model(), withDecay(pretrain, pretrain.train().maxIters()));
        }
        return new DemoConfig(pretrain, trainPrompts, heldOutPrompts, promptChars, completions, responseTokens,
                temperature, panelSize, aggregation, reward, holdOut, uciPairs, windowItems, PpoOverrides.apply(c.ppo(), ppoKeys),
                evalSamples, evalPanelSize, shownSamples, c.seed());
    }

    /** The recipe's training config with the cosine decay ending at {@code iters} (nanoGPT: lr_decay_iters = max_iters). */
    private static TrainConfig withDecay(Recipe r, int iters) {
        TrainConfig t = r.train();
        return new TrainConfig(t.batchSize(), t.blockSize(), t.maxIters(), t.lr(), t.minLr(),
                Math.min(t.warmupIters(), iters), iters, t.beta1(), t.beta2(), t.weightDecay(), t.gradClip(),
                t.gradAccumSteps(), t.evalIters(), Math.min(t.evalInterval(), iters), t.logInterval(),
                t.checkpointInterval(), t.seed());
    }

    static AnnotatorPanel.Aggregation parseAggregation(String key, String v) {
        try {
            return AnnotatorPanel.Aggregation.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + v + ": " + key + " takes round_robin, mean or majority");
        }
    }

    static int parseInt(String key, String v) {
        long l = parseLong(key, v);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + "=" + v + ": out of range");
        }
        return (int) l;
    }

    static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": " + key + " takes an integer, e.g. " + key + "=100");
        }
    }

    static double parseDouble(String key, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": " + key + " takes a finite number, e.g. "
                    + key + "=0.5");
        }
    }
}
