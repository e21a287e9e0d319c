package org.rlhf4j.rlhf.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.rlhf.ppo.PpoConfig;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.ppo.PpoListener;
import org.rlhf4j.rlhf.ppo.PpoMetricsLog;
import org.rlhf4j.rlhf.ppo.PpoTrainer;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Generator;

/**
 * Stage 5: PPO ({@link PpoTrainer}) from the pretrained model toward the reward model, with the KL penalty
 * to a frozen copy of the pretrained model (the reference) and a value model as {@link DemoPpo} configures
 * it (the standard demo: a head on a copy of the policy, since the reward model has another tokenizer).
 * Each iteration takes the next rolloutBatch training prompts of a seeded shuffle (reshuffled when used
 * up); its metrics (TRL's names) are appended to {@code <dir>/metrics.jsonl} ({@link PpoMetricsLog}).
 */
public final class PpoStage {

    public static final String METRICS = PpoMetricsLog.FILE;

    /** The tuned policy, the frozen reference, and each iteration's metrics (TRL's names). */
    public record Result(Gpt policy, Gpt reference, List<Map<String, Double>> iterations,
                         List<PpoIteration.Sample> lastSamples) {
        public Result {
            iterations = List.copyOf(iterations);
            lastSamples = List.copyOf(lastSamples);
        }
    }

    private PpoStage() {
    }

    public static Result run(DemoConfig cfg, Pretraining.Result pretrained, RewardModel reward, List<String> prompts,
                             Path dir, DemoListener listener) throws IOException {
        PpoConfig pc = cfg.ppo().config(); // already DemoPpo.effective: the demo's length, temperature, no stop
        Gpt policy = Pretraining.copy(pretrained.model(), pretrained.model().config.withDropout(0f));
        PpoMetricsLog log = new PpoMetricsLog(dir.resolve(METRICS));
        Files.deleteIfExists(log.file());
        List<Map<String, Double>> iterations = new ArrayList<>();
        List<PpoIteration.Sample> last = List.of();
        PromptOrder order = new PromptOrder(prompts, new Generator(Seeds.derive(cfg.seed(), "ppo-prompts")));
        try (PpoTrainer trainer = new PpoTrainer(policy, pretrained.tokenizer(), reward, pc, reward,
                PpoListener.NONE)) {
            for (int i = 1; i <= cfg.ppo().iterations(); i++) {
                PpoIteration it = trainer.step(order.next(pc.rolloutBatch()));
                log.append(it);
                iterations.add(it.metrics());
                last = it.samples();
                listener.ppoIteration(i, cfg.ppo().iterations(), it.metrics());
            }
            return new Result(trainer.policy(), trainer.reference(), iterations, last);
        }
    }

    /** The prompts in a seeded shuffled order, reshuffled each time they are used up. */
    static final class PromptOrder {
        private final List<String> prompts;
        private final Generator g;
        private final List<String> order = new ArrayList<>();
        private int cursor;

        PromptOrder(List<String> prompts, Generator g) {
            this.prompts = List.copyOf(prompts);
            this.g = g;
        }

        List<String> next(int n) {
            List<String> out = new ArrayList<>(n);
            while (out.size() < n) {
                if (cursor == order.size()) {
                    order.clear();
                    order.addAll(prompts);
                    for (int i = order.size() - 1; i > 0; i--) {
                        int j = Math.min(i, (int) (g.nextUniform() * (i + 1)));
                        String t = order.get(i);
                        order.set(i, order.get(j));
                        order.set(j, t);
                    }
                    cursor = 0;
                }
                out.add(order.get(cursor++));
            }
            return out;
        }
    }
}
