package org.rlhf4j.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded pool kernels run on. A kernel splits its independent outputs into at most
 * {@link #threads()} contiguous ranges; the calling thread runs the first range itself and waits for
 * the others. Because only independent outputs are split, the split never changes a result: a call
 * that finds the pool busy (another thread, or a kernel nested in a kernel) simply runs all of its
 * range on the calling thread.
 *
 * <p>Create one with {@link #sequential()}, {@link #ofThreads(int)} (rlhf4j owns the daemon workers
 * and {@link #close()} stops them) or {@link #using(ExecutorService, int)} (the caller owns the
 * executor; {@code close()} leaves it running). Either way the number of threads is fixed when the
 * pool is made: a pool never grows. Inject one with {@code Backends.use(Backends.create(name, parallel))}.
 *
 * <p>Workers of {@link #ofThreads(int)} spin for {@link #SPIN_NANOS} after each task before they
 * park: kernels come back to back, and waking a parked thread costs tens of microseconds on a VM,
 * as long as a whole 256x256 matrix product (docs/benchmarks.md).
 */
public final class Parallel implements AutoCloseable {

    /** The body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** The longest {@link #close()} waits for a running loop and the workers to end. */
    public static final long CLOSE_WAIT_MILLIS = 10_000;

    /** How long an idle worker polls for the next task before it parks. */
    public static final long SPIN_NANOS = 200_000;

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int threads;
    private final Worker[] workers;          // ofThreads: threads - 1 workers; else null
    private final ExecutorService executor;  // using: the caller's executor; else null
    private final AtomicBoolean busy = new AtomicBoolean(); // not reentrant: a nested call runs inline
    private volatile boolean closed;

    private Parallel(int threads, Worker[] workers, ExecutorService executor) {
        this.threads = threads;
        this.workers = workers;
        this.executor = executor;
    }

    /** Runs everything on the calling thread. */
    public static Parallel sequential() {
        return new Parallel(1, null, null);
    }

    /** A pool of {@code threads - 1} daemon workers plus the calling thread; stopped by {@link #close()}. */
    public static Parallel ofThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads == 1) {
            return sequential();
        }
        int id = POOL_IDS.incrementAndGet();
        Worker[] workers = new Worker[threads - 1];
        Parallel p = new Parallel(threads, workers, null);
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("rlhf4j-kernels-" + id + "-" + (w + 1));
            workers[w].thread.start();
        }
        return p;
    }

    /**
     * Runs on an executor the caller owns, splitting work into at most {@code threads} ranges. The
     * executor must be able to run {@code threads - 1} tasks at once; {@link #close()} does not shut it down.
     */
    public static Parallel using(ExecutorService executor, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        return new Parallel(threads, null, executor);
    }

    /** The most ranges a loop is split into. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous ranges of at least {@code grain}
     * elements (fewer ranges when n is small), one per thread at most.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (parts == 1 || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        if (closed) {      // read after taking busy: close() either sees busy and waits, or we see closed
            busy.set(false);
            body.run(0, n);
            return;
        }
        try {
            if (workers != null) {
                runOnWorkers(n, parts, body);
            } else {
                runOnExecutor(n, parts, body);
            }
        } finally {
            busy.set(false);
        }
    }

    private static int bound(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    private void runOnWorkers(int n, int parts, RangeBody body) {
        AtomicInteger pending = new AtomicInteger(parts - 1);
        Throwable[] failures = new Throwable[parts];
        for (int p = 1; p < parts; p++) {
            int from = bound(n, p, parts), to = bound(n, p + 1, parts), slot = p;
            workers[p - 1].submit(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    failures[slot] = t;
                } finally {
                    pending.decrementAndGet();
                }
            });
        }
        try {
            body.run(0, bound(n, 1, parts));
        } catch (Throwable t) {
            failures[0] = t;
        }
        long waitStart = System.nanoTime();
        while (pending.get() > 0) {       // the workers are running real work: wait briefly,
            if (System.nanoTime() - waitStart < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();           // and give up the core if a worker was descheduled
            }
        }
        rethrowFirst(failures);
    }

    private void runOnExecutor(int n, int parts, RangeBody body) {
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = bound(n, p, parts), to = bound(n, p + 1, parts);
            futures.add(executor.submit(() -> body.run(from, to)));
        }
        Throwable[] failures = new Throwable[parts];
        try {
            body.run(0, bound(n, 1, parts));
        } catch (Throwable t) {
            failures[0] = t;
        }
        for (int p = 1; p < parts; p++) {
            try {
                futures.get(p - 1).get();
            } catch (ExecutionException e) {
                failures[p] = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures[p] = e;
            }
        }
        rethrowFirst(failures);
    }

    private static void rethrowFirst(Throwable[] failures) {
        for (Throwable f : failures) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error err) {
                throw err;
            }
            if (f != null) {
                throw new IllegalStateException("parallel kernel failed", f);
            }
        }
    }

    /**
     * Stops the workers this object created and waits (up to {@link #CLOSE_WAIT_MILLIS}) for a loop in
     * flight to finish and for the workers to end; an injected executor is left to its owner. Loops after
     * close run on the calling thread. Idempotent; call it from outside a loop body.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000L;
        while (busy.get() && System.nanoTime() < deadline) { // a forRange that started before close()
            Thread.yield();
        }
        if (workers != null) {
            for (Worker w : workers) {
                w.stop();
            }
            for (Worker w : workers) {
                try {
                    w.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One worker thread: a single-task mailbox, polled for SPIN_NANOS, then parked until the next task. */
    private static final class Worker implements Runnable {

        private final Thread thread;
        private volatile Runnable task;
        private volatile boolean stopping;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        void submit(Runnable r) {
            task = r;
            LockSupport.unpark(thread);
        }

        void stop() {
            stopping = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!stopping) {
                Runnable r = task;
                if (r != null) {
                    task = null;
                    r.run();               // never throws: the submitted wrapper catches everything
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
