package org.rlhf4j.rlhf.demo;

/**
 * The demo's PPO stage: how many iterations, how many prompts each, and the PPO settings.
 *
 * @param iterations         PPO iterations (rollout + update each)
 * @param promptsPerIteration training prompts per rollout batch, drawn by a seeded shuffle of the
 *                           training prompts (reshuffled when used up)
 * @param seed               seeds the prompt order and PPO's own randomness
 */
public record DemoPpo(int iterations, int promptsPerIteration, long seed) {

    public DemoPpo {
        if (iterations < 1) {
            throw new IllegalArgumentException("ppo iterations must be >= 1, got " + iterations);
        }
        if (promptsPerIteration < 1) {
            throw new IllegalArgumentException("ppo promptsPerIteration must be >= 1, got " + promptsPerIteration);
        }
    }

    public static DemoPpo standard() {
        return new DemoPpo(60, 32, 1337L);
    }

    public static DemoPpo quick() {
        return new DemoPpo(2, 4, 1337L);
    }

    public DemoPpo withSeed(long v) {
        return new DemoPpo(iterations, promptsPerIteration, v);
    }
}
