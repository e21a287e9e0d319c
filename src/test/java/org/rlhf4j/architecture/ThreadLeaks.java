package org.rlhf4j.architecture;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Finds threads that outlive what made them, from {@link Thread#getAllStackTraces()}: take a
 * {@link #snapshot()}, use and close a pool, then {@link #survivors} lists the threads started since
 * that are still alive after a bounded wait. Threads the JDK starts lazily for itself (the common
 * ForkJoinPool, the attach listener, the process reaper, cleaners) are not counted.
 */
public final class ThreadLeaks {

    private static final List<String> JDK_THREADS = List.of("ForkJoinPool.commonPool-", "Attach Listener",
            "process reaper", "Common-Cleaner", "Reference Handler", "Finalizer", "Signal Dispatcher", "surefire-");

    private ThreadLeaks() {
    }

    /** The live threads now. */
    public static Set<Thread> snapshot() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /** Threads started after {@code before} and alive now (JDK housekeeping threads excluded). */
    public static List<Thread> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .filter(t -> JDK_THREADS.stream().noneMatch(t.getName()::startsWith))
                .toList();
    }

    /** The threads started after {@code before} still alive once {@code wait} has passed (or none sooner). */
    public static List<Thread> survivors(Set<Thread> before, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Thread> alive = startedSince(before);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            alive = startedSince(before);
        }
        return alive;
    }

    /** {@code name (daemon)} for each thread, for messages. */
    public static List<String> describe(List<Thread> threads) {
        return threads.stream().map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : " (NOT daemon)")).toList();
    }
}
