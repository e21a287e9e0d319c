package org.rlhf4j.architecture;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Compiled, never run: one of each thing LibraryHygiene must find, and the daemon-thread patterns it
 * must accept, so LibraryHygieneTest can show that the scanner fails when it should.
 */
@SuppressWarnings("unused")
final class PlantedViolations {

    private PlantedViolations() {
    }

    static void exits() {
        System.exit(3);
    }

    static void halts() {
        Runtime.getRuntime().halt(3);
    }

    static void prints(String s) {
        System.out.println(s);
    }

    static void printsError(Exception e) {
        e.printStackTrace();
    }

    static void setsProperty() {
        System.setProperty("rlhf4j.planted", "1");
    }

    static void hooks() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }));
    }

    static Thread userThread() {
        return new Thread(() -> { }, "planted");
    }

    static ExecutorService defaultPool() {
        return Executors.newFixedThreadPool(2);
    }

    // ---- accepted: each makes only daemon threads ----

    static Thread daemonThread() {
        Thread t = new Thread(() -> { }, "planted-daemon");
        t.setDaemon(true);
        return t;
    }

    static ExecutorService daemonPool() {
        return Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    static void printsToAGivenStream(Exception e, java.io.PrintWriter w) {
        e.printStackTrace(w);
    }
}
