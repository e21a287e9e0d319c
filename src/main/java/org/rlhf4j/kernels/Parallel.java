package org.rlhf4j.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool kernels run on. A kernel splits its independent outputs into at most
 * {@link #threads()} contiguous ranges; the calling thread runs the first range itself and waits for
 * the others. Because only independent outputs are split, the split never changes a result.
 *
 * <p>Create one with {@link #sequential()}, {@link #ofThreads(int)} (rlhf4j owns the daemon workers
 * and {@link #close()} stops them) or {@link #using(ExecutorService, int)} (the caller owns the
 * executor; {@code close()} leaves it running).
 */
public final class Parallel implements AutoCloseable {

    /** The body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final ExecutorService executor; // null when sequential
    private final int threads;
    private final boolean owned;

    private Parallel(ExecutorService executor, int threads, boolean owned) {
        this.executor = executor;
        this.threads = threads;
        this.owned = owned;
    }

    /** Runs everything on the calling thread. */
    public static Parallel sequential() {
        return new Parallel(null, 1, false);
    }

    /** A pool of {@code threads - 1} daemon workers plus the calling thread; closed by {@link #close()}. */
    public static Parallel ofThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads == 1) {
            return sequential();
        }
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger workerIds = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "rlhf4j-kernels-" + id + "-" + workerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads - 1, threads - 1, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return new Parallel(pool, threads, true);
    }

    /**
     * Runs on an executor the caller owns, splitting work into at most {@code threads} ranges. The
     * executor must be able to run {@code threads - 1} tasks at once; {@link #close()} does not shut it down.
     */
    public static Parallel using(ExecutorService executor, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new Parallel(executor, threads, false);
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
        int parts = executor == null ? 1 : Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            futures.add(executor.submit(() -> body.run(from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("parallel kernel interrupted", failure);
        }
    }

    /** Stops the workers this object created; an injected executor is left to its owner. */
    @Override
    public void close() {
        if (owned && executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
