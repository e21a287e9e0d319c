package org.rlhf4j.rlhf.ppo;

/**
 * Hears about a {@link PpoTrainer}'s progress (the CLI prints a line per iteration; a report collects the
 * metrics). Called on the training thread; the defaults do nothing.
 */
public interface PpoListener {

    /** No-op listener. */
    PpoListener NONE = new PpoListener() {
    };

    /** After phase 10 of each iteration. */
    default void iteration(PpoIteration it) {
    }
}
