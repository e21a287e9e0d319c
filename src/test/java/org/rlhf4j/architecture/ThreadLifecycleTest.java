package org.rlhf4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Every pool rlhf4j makes is bounded (its thread count is fixed when it is made), injectable, made of
 * daemon threads, and gone after close(): no thread started while it was used is alive afterwards
 * (Thread.getAllStackTraces, with a bounded wait). The label server's pool is checked in
 * org.rlhf4j.feedback.label.LabelServerThreadsTest.
 */
class ThreadLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void ofThreadsMakesExactlyThreadsMinusOneDaemonWorkersAndCloseEndsThem() throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        Parallel p = Parallel.ofThreads(4);
        AtomicLong sum = new AtomicLong();
        for (int rep = 0; rep < 50; rep++) {
            p.forRange(1000, 1, (from, to) -> sum.addAndGet(to - from));
        }
        assertEquals(50 * 1000, sum.get());
        List<Thread> made = ThreadLeaks.startedSince(before);
        assertEquals(3, made.size(), "bounded: threads - 1 workers, " + ThreadLeaks.describe(made));
        assertTrue(made.stream().allMatch(Thread::isDaemon), "daemon workers: " + ThreadLeaks.describe(made));
        p.close();
        assertEquals(List.of(), ThreadLeaks.describe(ThreadLeaks.survivors(before, WAIT)), "alive after close()");
        p.forRange(1000, 1, (from, to) -> sum.addAndGet(to - from)); // after close: on the calling thread
        assertEquals(51 * 1000, sum.get());
        p.close(); // idempotent
    }

    @Test
    void closeWaitsForALoopInFlightAndLaterLoopsRunInline() throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        Parallel p = Parallel.ofThreads(3);
        AtomicInteger done = new AtomicInteger();
        Thread caller = new Thread(() -> {
            for (int rep = 0; rep < 2000; rep++) {
                p.forRange(64, 1, (from, to) -> done.addAndGet(to - from));
            }
        }, "test-caller");
        caller.start();
        Thread.sleep(5);
        p.close();                // races the caller's loops: none may hang or lose a range
        caller.join(WAIT.toMillis());
        assertFalse(caller.isAlive(), "the caller's loops finished");
        assertEquals(2000 * 64, done.get(), "every index ran once");
        assertEquals(List.of(), ThreadLeaks.describe(ThreadLeaks.survivors(before, WAIT)));
    }

    @Test
    void anInjectedExecutorRunsTheWorkAndParallelMakesNoThreadOfItsOwn() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "caller-owned-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Set<Thread> before = ThreadLeaks.snapshot();
            Kernels previous = Backends.use(Backends.create("scalar", Parallel.using(callers, 3)));
            try {
                Tensor a = Tensor.randn(new Generator(1), 64, 64);
                a.matmul(a);
            } finally {
                Kernels mine = Backends.use(previous == null ? Backends.create("scalar", Parallel.sequential()) : previous);
                mine.parallel().close();
            }
            assertFalse(callers.isShutdown(), "the caller's executor is the caller's to shut down");
            List<Thread> alive = ThreadLeaks.startedSince(before);
            assertTrue(alive.stream().allMatch(t -> t.getName().startsWith("caller-owned-")),
                    "only the caller's threads: " + ThreadLeaks.describe(alive));
        } finally {
            callers.shutdownNow();
            assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void resetClosesTheDefaultPoolAndLeavesAnInjectedOneToItsOwner() throws Exception {
        Kernels before0 = Backends.use(Backends.create("scalar", Parallel.sequential()));
        try {
            Backends.reset();                   // the default below is made fresh, after the snapshot
            Set<Thread> before = ThreadLeaks.snapshot();
            Kernels def = Backends.current();   // the default from the system properties
            Tensor a = Tensor.randn(new Generator(2), 128, 128);
            a.matmul(a);
            List<Thread> made = ThreadLeaks.startedSince(before);
            assertEquals(def.parallel().threads() - 1, made.size(), ThreadLeaks.describe(made).toString());
            assertTrue(made.stream().allMatch(Thread::isDaemon), ThreadLeaks.describe(made).toString());
            Backends.reset();
            assertEquals(List.of(), ThreadLeaks.describe(ThreadLeaks.survivors(before, WAIT)), "default pool after reset()");

            try (Parallel injected = Parallel.ofThreads(2)) {
                Backends.use(Backends.create("scalar", injected));
                Backends.reset();               // not rlhf4j's: stays usable
                AtomicInteger ran = new AtomicInteger();
                injected.forRange(10, 1, (from, to) -> ran.addAndGet(to - from));
                assertEquals(10, ran.get());
            }
        } finally {
            Backends.reset();
            if (before0 != null) {
                Backends.use(before0);
            }
        }
    }
}
