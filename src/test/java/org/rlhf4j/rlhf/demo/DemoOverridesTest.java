package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOverridesTest {

    private static DemoConfig apply(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return DemoOverrides.apply(DemoConfig.standard(), m);
    }

    @Test
    void settingsReachTheirStages() {
        DemoConfig c = apply("pretrain.max_iters", "300", "ppo.iterations", "7", "ppo.init_kl_coef", "0.1",
                "reward.iters", "50", "completions", "6", "temperature", "1.0");
        assertEquals(300, c.pretrain().train().maxIters());
        assertEquals(300, c.pretrain().train().lrDecayIters(), "the cosine ends with the run, as nanoGPT's recipe");
        assertEquals(7, c.ppo().iterations());
        assertEquals(0.1, c.ppo().config().initKlCoef());
        assertEquals(50, c.reward().maxIters());
        assertEquals(6, c.completions());
        assertEquals(1.0f, c.temperature());
        assertEquals(1.0f, c.ppo().config().temperature(), "PPO runs at the demo's temperature");
        assertEquals(c.responseTokens(), c.ppo().config().maxNewTokens(), "and its response length");
    }

    @Test
    void theSeedReachesEveryStage() {
        DemoConfig c = apply("seed", "42");
        assertEquals(42, c.seed());
        assertEquals(42, c.pretrain().train().seed());
        assertEquals(42, c.reward().seed());
        assertEquals(42, c.ppo().config().seed());
    }

    @Test
    void badSettingsNameThemselves() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("nope", "1")).getMessage()
                .contains("unknown setting 'nope'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("completions", "x")).getMessage()
                .contains("completions takes an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("ppo.temperature", "0.5")).getMessage()
                .contains("set temperature instead"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("ppo.bogus", "1")).getMessage()
                .startsWith("ppo."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply("response_tokens", "60")).getMessage()
                .contains("block size"));
    }
}
