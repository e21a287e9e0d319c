package org.rlhf4j.bench;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose workers busy-wait for tasks instead of parking, as OpenBLAS's worker threads do
 * between calls. {@code Bench matmul --spin} injects it through
 * {@link org.rlhf4j.kernels.Parallel#using}: it shows how much of a small product's time on
 * {@link org.rlhf4j.kernels.Parallel#ofThreads} is the wake-up of a parked worker (tens of
 * microseconds on a virtual machine). It burns its cores while open; for benchmarks only.
 */
final class SpinningExecutor extends AbstractExecutorService {

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread[] workers;
    private volatile boolean shutdown;

    SpinningExecutor(int threads) {
        workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(this::work, "bench-spinning-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    private void work() {
        while (!shutdown) {
            Runnable task = queue.poll();
            if (task != null) {
                task.run();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("executor is shut down");
        }
        queue.add(task);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = List.copyOf(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        for (Thread w : workers) {
            if (w.isAlive()) {
                return false;
            }
        }
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return isTerminated();
    }
}
