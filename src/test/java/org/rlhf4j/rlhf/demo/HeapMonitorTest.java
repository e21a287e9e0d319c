package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.architecture.ThreadLeaks;

/**
 * The heap monitor's thread: one daemon thread {@code rlhf4j-heap-monitor} while it runs, gone when
 * {@code close()} returns (close joins it, so no wait is given here), and nothing else of it left behind.
 */
class HeapMonitorTest {

    private static final String NAME = "rlhf4j-heap-monitor";

    @Test
    void itsDaemonThreadEndsBeforeCloseReturns() throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        HeapMonitor m = HeapMonitor.start();
        List<Thread> ours;
        try {
            ours = ThreadLeaks.startedSince(before).stream().filter(t -> t.getName().equals(NAME)).toList();
            assertEquals(1, ours.size(), "one polling thread: " + ThreadLeaks.describe(ThreadLeaks.startedSince(before)));
            assertTrue(ours.get(0).isDaemon(), "the polling thread is a daemon");
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[1 << 16];
            }
            assertTrue(m.peakUsedBytes() >= garbage.length << 16, "the heap in use is seen");
        } finally {
            m.close();
        }
        assertEquals(List.of(), ThreadLeaks.describe(ours.stream().filter(Thread::isAlive).toList()),
                "the polling thread is still alive when close() has returned");
        assertEquals(List.of(), ThreadLeaks.describe(ThreadLeaks.survivors(before, Duration.ofSeconds(10))),
                "threads started by the monitor and alive after close()");
    }

    /**
     * close() waits for a poll in flight: another thread holds the monitor's lock, which a poll takes to record
     * what it saw, so the polling thread is caught mid-poll (BLOCKED); close() must not return before that poll
     * finishes and the thread ends. Without the join in close(), the thread is still alive when it returns.
     */
    @Test
    void closeWaitsForAPollInFlight() throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        HeapMonitor m = HeapMonitor.start();
        Thread poller = ThreadLeaks.startedSince(before).stream().filter(t -> t.getName().equals(NAME)).findFirst()
                .orElseThrow();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (m) {
                held.countDown();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "test-lock-holder");
        holder.setDaemon(true);
        holder.start();
        try {
            held.await();
            long deadline = System.nanoTime() + 2_000_000_000L; // the next poll comes within 50 ms
            while (poller.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.BLOCKED, poller.getState(), "the poll is in flight, waiting for the lock");
        } finally {
            m.close();
        }
        assertFalse(poller.isAlive(), "close() returned while a poll was still in flight");
        holder.join(5_000);
    }
}
