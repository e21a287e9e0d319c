package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.rlhf.ppo.PpoConfig;

/**
 * {@code ppo.<key>=value} changes to the demo's {@link DemoPpo}: {@code ppo.iterations}, and every key of
 * {@code PpoConfig.keys()} except those the demo sets itself (response length, temperature, stop token:
 * use {@code response_tokens} and {@code temperature}).
 */
public final class PpoOverrides {

    /** Keys the demo owns; the message names what to set instead. */
    static final Map<String, String> DEMO_OWNED = Map.of("max_new_tokens", "response_tokens",
            "temperature", "temperature", "stop_token", "nothing: a character model has no end-of-text");

    private PpoOverrides() {
    }

    /** iterations, then PpoConfig's keys without those the demo owns. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of("iterations"));
        PpoConfig.keys().stream().filter(k -> !DEMO_OWNED.containsKey(k)).forEach(keys::add);
        return keys;
    }

    public static DemoPpo apply(DemoPpo p, Map<String, String> overrides) {
        int iterations = p.iterations();
        Map<String, String> rest = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim().replace('-', '_');
            if (key.equals("iterations")) {
                iterations = DemoOverrides.parseInt("ppo.iterations", e.getValue());
            } else if (DEMO_OWNED.containsKey(key)) {
                throw new IllegalArgumentException("ppo." + key + " is set by the demo; set "
                        + DEMO_OWNED.get(key) + " instead");
            } else {
                rest.put(key, e.getValue());
            }
        }
        try {
            return new DemoPpo(iterations, p.config().with(rest));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("ppo." + ex.getMessage(), ex);
        }
    }
}
