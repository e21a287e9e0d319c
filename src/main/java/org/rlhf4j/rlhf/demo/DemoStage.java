package org.rlhf4j.rlhf.demo;

/** The stages of the demo, in the order they run; {@link #key} names them in summary.json. */
public enum DemoStage {
    PRETRAIN("pretrain", "pretrain a character-level GPT on Moby-Dick"),
    SAMPLE("sample", "sample K completions per training prompt"),
    FEEDBACK("feedback", "the simulated panel ranks them"),
    REWARD("reward", "train the reward model on the rankings"),
    PPO("ppo", "PPO toward the reward model, KL-penalised to the reference"),
    EVALUATE("evaluate", "reference vs tuned on held-out prompts, judged by a fresh panel"),
    REPORT("report", "write report.html, summary.json");

    private final String key;
    private final String description;

    DemoStage(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The stage's name in files and on the command line. */
    public String key() {
        return key;
    }

    /** One line on what the stage does. */
    public String description() {
        return description;
    }
}
