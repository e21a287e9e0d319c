package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.VaderAnnotator;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.ppo.PpoConfig;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.ppo.PpoMetricsLog;
import org.rlhf4j.rlhf.ppo.PpoPrompts;
import org.rlhf4j.rlhf.ppo.PpoTrainer;
import org.rlhf4j.rlhf.reward.RewardCheckpoint;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.train.ModelCheckpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j ppo}: PPO of a pretrained policy against a reward model or a built-in reward function
 * (docs/ppo.md). Writes {@code <out>/metrics.jsonl} (one line per iteration, TRL's metric names),
 * {@code <out>/checkpoint/} (the whole PPO state; {@code --resume} continues it exactly) and
 * {@code <out>/policy/} (the tuned policy as a language model, for {@code rlhf4j sample}); prints one
 * summary line per iteration.
 */
@Command(name = "ppo", mixinStandardHelpOptions = true,
        description = {"Tune a policy with PPO against a reward model or a built-in reward function.",
                "Writes <out>/metrics.jsonl, <out>/checkpoint/ (resumable) and <out>/policy/ (for sample).",
                "Settings (--set key=value): rollout_batch, max_new_tokens, temperature, top_k, top_p, stop_token, "
                        + "ppo_epochs, mini_batches, grad_accum, lr, beta1, beta2, adam_eps, weight_decay, clip_range, "
                        + "clip_range_value, vf_coef, gamma, lambda, kl_estimator (k1|k2|k3), init_kl_coef, "
                        + "adaptive_kl, kl_target, kl_horizon, whiten_rewards, score_norm (none|scale|normalize), "
                        + "missing_eos_penalty, ratio_threshold, max_grad_norm, value_init "
                        + "(policy_head|from_reward_model), seed."})
final class PpoCommand implements Callable<Integer> {

    /** The built-in reward functions, for --reward-function. */
    static final String FUNCTIONS = "length (characters of the response), sentiment (summed mean VADER ratings of its "
            + "words), contains:<text> (1 when the response contains <text>, else 0)";

    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "<dir>", required = true,
            description = "The policy to tune: a pretrain run (its --out) or a checkpoint directory.")
    Path policyDir;

    static final class Reward {
        @Option(names = "--reward", paramLabel = "<dir>", description = "A reward model: the --out of train-reward.")
        Path model;

        @Option(names = "--reward-function", paramLabel = "<name>", description = "A built-in reward instead: "
                + FUNCTIONS + ".")
        String function;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Reward reward;

    @Option(names = "--prompts", paramLabel = "<file>",
            description = "Prompts: JSONL with a \"prompt\" field, or text with one prompt per line "
                    + "(default: 32 bundled sentence openings).")
    Path promptsFile;

    @Option(names = "--out", paramLabel = "<dir>", required = true, description = "Run directory.")
    Path out;

    @Option(names = "--iterations", paramLabel = "<n>", defaultValue = "20",
            description = "PPO iterations in all (default: ${DEFAULT-VALUE}); with --resume, the total to reach.")
    int iterations;

    @Option(names = "--checkpoint-every", paramLabel = "<n>", defaultValue = "10",
            description = "Save the state every n iterations, and at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--set", paramLabel = "<key=value>", description = "Change a PPO setting, e.g. --set lr=1e-4.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, exactly.")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (iterations < 1) {
            throw Rlhf4j.usage(spec, "--iterations must be at least 1, got " + iterations);
        }
        if (checkpointEvery < 1) {
            throw Rlhf4j.usage(spec, "--checkpoint-every must be at least 1, got " + checkpointEvery);
        }
        Path checkpoint = out.resolve("checkpoint");
        boolean hasRun = Files.exists(checkpoint.resolve("manifest.json"));
        if (resume && !hasRun) {
            throw Rlhf4j.usage(spec, "--resume: there is no checkpoint in " + checkpoint + "; start a new run without "
                    + "--resume, or give the --out of an earlier ppo run");
        }
        if (!resume && hasRun) {
            throw Rlhf4j.usage(spec, "--out " + out + " already holds a run (" + checkpoint + "); add --resume to "
                    + "continue it, or choose another --out");
        }
        if (resume && !set.isEmpty()) {
            throw Rlhf4j.usage(spec, "--resume continues with the run's saved settings; drop --set " + set.keySet());
        }
        List<String> prompts = prompts();
        RewardModel rewardModel = reward.model != null ? rewardModel() : null;
        RewardSource source = rewardModel != null ? rewardModel : function(reward.function);
        PpoMetricsLog log = new PpoMetricsLog(out.resolve(PpoMetricsLog.FILE));
        PpoTrainer trainer;
        if (resume) {
            trainer = PpoTrainer.resume(checkpoint, source);
            log.truncateAfter(trainer.iteration());
            stdout.printf("resuming %s at iteration %d of %d%n", out, trainer.iteration(), iterations);
        } else {
            PpoConfig config;
            try {
                config = PpoConfig.defaults().with(set);
            } catch (IllegalArgumentException e) {
                throw Rlhf4j.usage(spec, "--set " + e.getMessage());
            }
            ModelCheckpoint.Loaded policy = policy();
            try {
                trainer = new PpoTrainer(policy.model(), policy.tokenizer(), source, config, rewardModel,
                        org.rlhf4j.rlhf.ppo.PpoListener.NONE);
            } catch (IllegalArgumentException e) {
                throw Rlhf4j.usage(spec, e.getMessage());
            }
            log.truncateAfter(0);
            Gpt m = policy.model();
            stdout.printf(Locale.ROOT, "ppo: policy %,d parameters (%d layers, n_embd %d, vocabulary %d); reward %s; "
                            + "%d prompts; %d responses of up to %d tokens per iteration, %d iterations%n",
                    m.parameterCount(), m.config.nLayer(), m.config.nEmbd(), m.config.vocabSize(),
                    rewardModel != null ? "model " + reward.model : "function " + reward.function, prompts.size(),
                    config.rolloutBatch(), config.maxNewTokens(), iterations);
        }
        checkEncodable(trainer, prompts);
        try (trainer) {
            while (trainer.iteration() < iterations) {
                List<String> batch = PpoPrompts.batch(prompts, trainer.iteration(), trainer.config().rolloutBatch());
                PpoIteration it = trainer.step(batch);
                log.append(it);
                stdout.println(it.summary());
                stdout.flush();
                if (trainer.iteration() % checkpointEvery == 0 || trainer.iteration() == iterations) {
                    trainer.save(checkpoint);
                    trainer.savePolicy(out.resolve("policy"));
                }
            }
            List<String> sample = PpoPrompts.batch(prompts, 0, Math.min(3, prompts.size()));
            List<String> before = trainer.generate(trainer.reference(), sample, 0);
            List<String> after = trainer.generate(trainer.policy(), sample, 0);
            for (int i = 0; i < sample.size(); i++) {
                stdout.printf("prompt    %s%n  before  %s%n  after   %s%n", show(sample.get(i)), show(before.get(i)),
                        show(after.get(i)));
            }
        }
        stdout.printf("done: %d iterations; metrics in %s, checkpoint in %s, policy in %s%n", iterations,
                log.file(), checkpoint, out.resolve("policy"));
        return 0;
    }

    private static String show(String s) {
        return s.replace("\n", "\\n");
    }

    private List<String> prompts() throws IOException {
        if (promptsFile == null) {
            return PpoPrompts.bundled();
        }
        if (!Files.isRegularFile(promptsFile)) {
            throw Rlhf4j.usage(spec, "--prompts: " + promptsFile + (Files.exists(promptsFile) ? " is not a regular file"
                    : " does not exist") + "; give a JSONL file with \"prompt\" fields or a text file, one per line");
        }
        try {
            return PpoPrompts.read(promptsFile);
        } catch (DatasetFormatException e) {
            throw Rlhf4j.usage(spec, "--prompts: " + e.getMessage());
        }
    }

    private ModelCheckpoint.Loaded policy() throws IOException {
        if (!Files.isDirectory(policyDir)) {
            throw Rlhf4j.usage(spec, "--policy: " + policyDir + (Files.exists(policyDir) ? " is not a directory"
                    : " does not exist") + "; give the --out of a pretrain run");
        }
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(policyDir);
        if (loaded.tokenizer() == null) {
            throw Rlhf4j.usage(spec, "--policy: " + policyDir + " has no tokenizer.json; PPO needs the policy's tokenizer");
        }
        return loaded;
    }

    private RewardModel rewardModel() throws IOException {
        if (!Files.isDirectory(reward.model)) {
            throw Rlhf4j.usage(spec, "--reward: " + reward.model + (Files.exists(reward.model) ? " is not a directory"
                    : " does not exist") + "; give the --out of a train-reward run, or use --reward-function");
        }
        return RewardCheckpoint.load(reward.model);
    }

    private RewardSource function(String name) {
        if (name.equals("length")) {
            return RewardSource.fromFunction((p, r) -> r.codePointCount(0, r.length()));
        }
        if (name.equals("sentiment")) {
            Annotator vader = VaderAnnotator.groundTruth(VaderLexicon.bundled());
            return RewardSource.fromFunction(vader::score);
        }
        if (name.startsWith("contains:") && name.length() > "contains:".length()) {
            String needle = name.substring("contains:".length());
            return RewardSource.fromFunction((p, r) -> r.contains(needle) ? 1 : 0);
        }
        throw Rlhf4j.usage(spec, "--reward-function " + name + ": the built-in functions are " + FUNCTIONS);
    }

    /** Every prompt must encode with the policy's tokenizer; say which one does not, before any work. */
    private void checkEncodable(PpoTrainer trainer, List<String> prompts) {
        for (int i = 0; i < prompts.size(); i++) {
            try {
                if (trainer.tokenizer().encode(prompts.get(i)).length == 0) {
                    throw new IllegalArgumentException("it is empty");
                }
            } catch (IllegalArgumentException e) {
                throw Rlhf4j.usage(spec, "--prompts: prompt " + (i + 1) + " (" + show(prompts.get(i)) + ") cannot be "
                        + "used with the policy's tokenizer: " + e.getMessage());
            }
        }
    }
}
