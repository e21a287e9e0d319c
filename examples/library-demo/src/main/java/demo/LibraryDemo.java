package demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.rlhf4j.Rlhf4jException;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.ppo.PpoConfig;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.ppo.PpoTrainer;
import org.rlhf4j.rlhf.reward.OverLength;
import org.rlhf4j.rlhf.reward.RewardConfig;
import org.rlhf4j.rlhf.reward.RewardListener;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.rlhf.reward.RewardTrainer;
import org.rlhf4j.tensor.Generator;

/**
 * rlhf4j as a library, no command line: (1) train a tiny reward model on preference records that prefer
 * responses with more 'a's, (2) run a few PPO steps on a tiny policy with a plain Java function as the reward.
 * Usage: {@code java -cp <classpath> demo.LibraryDemo [output-dir]} (default {@code target/demo-run}); add
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernels (without it rlhf4j runs its scalar kernels).
 * It checks what it got, so that .ci/run, which runs it, fails when the library stops working: the exit status
 * is 1 when the reward model's held-out accuracy is not above chance (0.5) or any loss, score or KL is NaN or
 * infinite, and 1 when rlhf4j throws.
 */
public final class LibraryDemo {

    private static final CharTokenizer TOKENIZER = CharTokenizer.fromCorpus("abcd: ");

    private LibraryDemo() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/demo-run");
        int status = 0;
        try {
            System.out.println("rlhf4j kernels: " + Backends.currentName());
            List<String> problems = new ArrayList<>(trainRewardModel(out.resolve("reward")));
            problems.addAll(runPpo());
            for (String p : problems) {
                System.err.println("check failed: " + p);
            }
            status = problems.isEmpty() ? 0 : 1;
        } catch (Rlhf4jException e) { // every failure rlhf4j reports by a type of its own
            System.err.println("rlhf4j failed: " + e.getMessage());
            status = 1;
        } finally {
            Backends.reset(); // stop rlhf4j's default kernel threads
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * (1) A reward model from scratch, trained on 200 pairs; held-out accuracy on 100 more. Returns what is
     * wrong: an accuracy not above chance, a NaN or infinite loss or score.
     */
    static List<String> trainRewardModel(Path dir) throws IOException {
        GptConfig shape = new GptConfig(TOKENIZER.vocabSize(), 16, 1, 2, 16, 0f, true, 1e-5f, 0.02f);
        RewardModel model = RewardModel.fromScratch(shape, TOKENIZER, 16, 3);
        RewardConfig cfg = RewardConfig.fromScratch().withBatchSize(16).withMaxIters(80).withWarmupIters(5)
                .withLr(1e-2).withIntervals(80, 20, 0).withMaxLength(16, OverLength.DROP);
        RewardTrainer trainer = RewardTrainer.start(model, cfg, pairs(1, 200), pairs(2, 100), dir, RewardListener.NONE);
        trainer.run(); // writes metrics.jsonl and the model under dir, nowhere else
        double accuracy = trainer.lastMetrics().evalAccuracy(), more = model.score("", "aaaabbbb"),
                fewer = model.score("", "ddddbbbb");
        System.out.printf(Locale.ROOT, "reward model: %d parameters, %d steps, held-out accuracy %.2f%n",
                model.parameterCount(), trainer.step(), accuracy);
        System.out.printf(Locale.ROOT, "  score(\"aaaabbbb\") = %.3f, score(\"ddddbbbb\") = %.3f%n", more, fewer);
        List<String> problems = new ArrayList<>();
        if (!(accuracy > 0.5)) { // NaN fails this too
            problems.add("reward model: held-out accuracy " + accuracy + " is not above chance (0.5)");
        }
        finite(problems, "reward model: training loss", trainer.lastMetrics().loss());
        finite(problems, "reward model: score(\"aaaabbbb\")", more);
        finite(problems, "reward model: score(\"ddddbbbb\")", fewer);
        return problems;
    }

    /**
     * (2) PPO on a tiny policy; the reward is a Java function: the share of 'a' in the response. Returns what is
     * wrong: a NaN or infinite score, KL or loss in any iteration.
     */
    static List<String> runPpo() {
        List<String> problems = new ArrayList<>();
        GptConfig shape = new GptConfig(TOKENIZER.vocabSize(), 24, 1, 2, 16, 0f, true, 1e-5f, 0.02f);
        Gpt policy = new Gpt(shape, new Generator(7));
        RewardSource reward = RewardSource.fromFunction(
                (prompt, response) -> response.isEmpty() ? 0 : (double) count(response) / response.length());
        PpoConfig cfg = PpoConfig.defaults().withRolloutBatch(8).withMaxNewTokens(6).withPpoEpochs(2)
                .withMiniBatches(2).withTemperature(1f).withLr(3e-3);
        List<String> prompts = List.of("ab:", "c:", "dd:", "b:", "a:", "cd:", "bb:", "d:");
        try (PpoTrainer ppo = new PpoTrainer(policy, TOKENIZER, reward, cfg)) {
            for (int i = 0; i < 4; i++) {
                PpoIteration it = ppo.step(prompts);
                System.out.printf(Locale.ROOT, "ppo iteration %d: mean score %.3f, kl %.4f, e.g. %s -> \"%s\"%n",
                        it.iteration(), it.metrics().get("objective/scores"), it.metrics().get("objective/kl"),
                        it.samples().get(0).prompt(), it.samples().get(0).response());
                for (String key : List.of("objective/scores", "objective/kl", "loss/policy_avg", "loss/value_avg")) {
                    finite(problems, "ppo iteration " + it.iteration() + ": " + key, it.metrics().get(key));
                }
            }
        }
        return problems;
    }

    /** Adds a problem when {@code value} is missing, NaN or infinite. */
    static void finite(List<String> problems, String what, Double value) {
        if (value == null || !Double.isFinite(value)) {
            problems.add(what + " is " + value);
        }
    }

    /** Pairs of 8-letter strings over "abcd" with different numbers of 'a'; the one with more is chosen. */
    static List<Preference> pairs(long seed, int n) {
        Random random = new Random(seed);
        List<Preference> out = new ArrayList<>();
        while (out.size() < n) {
            String x = text(random), y = text(random);
            if (count(x) != count(y)) {
                out.add(count(x) > count(y) ? new PairwisePreference("", x, y) : new PairwisePreference("", y, x));
            }
        }
        return out;
    }

    static String text(Random random) {
        char[] c = new char[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = "abcd".charAt(random.nextInt(4));
        }
        return new String(c);
    }

    static long count(String s) {
        return s.chars().filter(ch -> ch == 'a').count();
    }
}
