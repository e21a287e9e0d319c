package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        try (Parallel p = Parallel.ofThreads(3)) {
            for (int n : new int[] {0, 1, 2, 3, 7, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                p.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void workerExceptionReachesTheCaller() {
        try (Parallel p = Parallel.ofThreads(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.forRange(100, 1, (from, to) -> {
                        if (from > 0) {
                            throw new IllegalStateException("boom in worker");
                        }
                    }));
            assertEquals("boom in worker", e.getMessage());
        }
    }

    @Test
    void closeLeavesNoWorkerAlive() throws Exception {
        // Other tests' pools may still be alive in this JVM: look only at the threads this pool made.
        Set<Thread> before = workers();
        Parallel p = Parallel.ofThreads(3);
        p.forRange(100, 1, (from, to) -> { });
        Set<Thread> mine = workers();
        mine.removeAll(before);
        assertFalse(mine.isEmpty(), "a worker ran");
        p.close();
        Thread.sleep(50);
        assertTrue(mine.stream().noneMatch(Thread::isAlive), "workers gone after close(): " + mine);
    }

    @Test
    void injectedExecutorIsNotShutDown() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Parallel p = Parallel.using(pool, 2);
            p.forRange(10, 1, (from, to) -> { });
            p.close();
            assertFalse(pool.isShutdown());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void counterRngDependsOnSeedAndCounterOnly() {
        assertEquals(CounterRng.bits(7, 12345), CounterRng.bits(7, 12345));
        assertTrue(CounterRng.bits(1, 0) != CounterRng.bits(0, 1), "seed and counter are not interchangeable");
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            float u = CounterRng.uniform(42, i);
            assertTrue(u >= 0f && u < 1f);
            sum += u;
        }
        assertEquals(0.5, sum / 100_000, 0.01, "mean of uniform draws");
    }

    @Test
    void nestedAndConcurrentCallsStillCoverEveryIndexOnce() throws Exception {
        try (Parallel p = Parallel.ofThreads(2)) {
            int n = 10_000;
            AtomicIntegerArray hits = new AtomicIntegerArray(n * 4);
            Runnable job = () -> {
                for (int rep = 0; rep < 200; rep++) {
                    p.forRange(4, 1, (from, to) -> {
                        for (int part = from; part < to; part++) {
                            int base = part * n;
                            p.forRange(n, 1, (f, t) -> {   // nested: runs on the calling thread
                                for (int i = f; i < t; i++) {
                                    hits.incrementAndGet(base + i);
                                }
                            });
                        }
                    });
                }
            };
            Thread other = new Thread(job);
            other.start();
            job.run();
            other.join();
            for (int i = 0; i < n * 4; i++) {
                assertEquals(400, hits.get(i), "index " + i);
            }
        }
    }

    private static Set<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rlhf4j-kernels-") && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
