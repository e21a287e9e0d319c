package org.rlhf4j.rlhf.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.rlhf.reward.RewardModel;

/** Stage 5: PPO (placeholder until the ppo branch lands: the policy is the reference, unchanged). */
public final class PpoStage {

    public static final String METRICS = "metrics.jsonl";

    /** The tuned policy, the frozen reference, and each iteration's metrics (TRL's names). */
    public record Result(Gpt policy, Gpt reference, List<Map<String, Double>> iterations) {
        public Result {
            iterations = List.copyOf(iterations);
        }
    }

    private PpoStage() {
    }

    public static Result run(DemoConfig cfg, Pretraining.Result pretrained, RewardModel reward, List<String> prompts,
                             Path dir, DemoListener listener) throws IOException {
        Gpt reference = Pretraining.copy(pretrained.model(), pretrained.model().config.withDropout(0f));
        return new Result(pretrained.model(), reference, List.of());
    }
}
