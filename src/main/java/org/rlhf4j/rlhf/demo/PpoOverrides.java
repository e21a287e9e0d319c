package org.rlhf4j.rlhf.demo;

import java.util.List;
import java.util.Map;

/** {@code ppo.<key>=value} changes to the demo's {@link DemoPpo}; see {@link #KEYS}. */
public final class PpoOverrides {

    /** iterations, prompts (per iteration). */
    public static final List<String> KEYS = List.of("iterations", "prompts");

    private PpoOverrides() {
    }

    public static DemoPpo apply(DemoPpo p, Map<String, String> overrides) {
        int iterations = p.iterations(), prompts = p.promptsPerIteration();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = "ppo." + e.getKey();
            switch (e.getKey()) {
                case "iterations" -> iterations = DemoOverrides.parseInt(key, e.getValue());
                case "prompts" -> prompts = DemoOverrides.parseInt(key, e.getValue());
                default -> throw new IllegalArgumentException("unknown setting '" + key + "'; known ppo settings: "
                        + KEYS.stream().map(k -> "ppo." + k).toList());
            }
        }
        return new DemoPpo(iterations, prompts, p.seed());
    }
}
