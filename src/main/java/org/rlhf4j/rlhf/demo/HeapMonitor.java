package org.rlhf4j.rlhf.demo;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures the Java heap while a run goes, three ways, because "peak heap" means different things:
 * <ul>
 *   <li>{@link #peakUsedBytes}: the most heap in use at any moment seen, garbage included: the heap
 *       summed over its pools just before each garbage collection (from the collectors' notifications,
 *       which is when use is highest), and a poll every 50 ms in between. How high it gets depends on
 *       the collector and on -Xmx (a large heap lets garbage pile up before a collection).</li>
 *   <li>{@link #peakLiveBytes}: the most heap still in use just after a collection, the live data the
 *       run needed at its fullest; what -Xmx must at least hold.</li>
 *   <li>{@link #poolPeakSumBytes}: the sum of every heap pool's own peak since {@link #start}; the pools
 *       peak at different moments, so this is an upper bound on the first.</li>
 * </ul>
 * Start it before the work and {@link #close} it after. Uses the standard management beans and the
 * JDK's {@code com.sun.management} collector notifications (HotSpot and OpenJ9 both send them).
 *
 * <p>What it does to the JVM it runs in: {@link #start} resets the peak usage of every heap memory pool
 * ({@link MemoryPoolMXBean#resetPeakUsage()}), which is JVM-wide state, so anything else in the JVM that reads
 * those peaks (a monitoring agent, a JMX console, another monitor) sees them restart from that moment. It
 * starts one daemon thread, {@code rlhf4j-heap-monitor}, that polls the heap every 50 ms, and adds a listener
 * to each garbage collector's bean; {@link #close} removes the listeners, stops the thread and waits for it to
 * end (at most {@link #CLOSE_WAIT_MILLIS}).
 */
public final class HeapMonitor implements AutoCloseable {

    private static final long POLL_MILLIS = 50;

    /** The longest {@link #close} waits for the polling thread to end. */
    public static final long CLOSE_WAIT_MILLIS = 5_000;

    private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener onGc = this::gcNotification;
    private final Thread poller;
    private volatile boolean running = true;
    private long peakUsed;
    private long peakLive;
    private long collections;

    private HeapMonitor() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) {
                p.resetPeakUsage();
                heapPools.add(p);
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(onGc, null, null);
                emitters.add(e);
            }
        }
        poller = new Thread(() -> {
            while (running) {
                observe(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rlhf4j-heap-monitor");
        poller.setDaemon(true);
    }

    /**
     * Starts measuring now. Resets every heap pool's peak usage, JVM-wide (see the class comment), and starts
     * the daemon thread {@code rlhf4j-heap-monitor}, which {@link #close} stops.
     */
    public static HeapMonitor start() {
        HeapMonitor m = new HeapMonitor();
        m.poller.start();
        return m;
    }

    private synchronized void observe(long used) {
        peakUsed = Math.max(peakUsed, used);
    }

    private void gcNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        long before = heapSum(info.getMemoryUsageBeforeGc()), after = heapSum(info.getMemoryUsageAfterGc());
        synchronized (this) {
            peakUsed = Math.max(peakUsed, before);
            peakLive = Math.max(peakLive, after);
            collections++;
        }
    }

    private long heapSum(Map<String, MemoryUsage> byPool) {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            MemoryUsage u = byPool.get(p.getName());
            sum += u == null ? 0 : u.getUsed();
        }
        return sum;
    }

    /** The most heap in use seen (garbage included): before collections, and polled. */
    public synchronized long peakUsedBytes() {
        return Math.max(peakUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** The most heap in use just after a collection (0 when none happened). */
    public synchronized long peakLiveBytes() {
        return peakLive;
    }

    /** Garbage collections seen. */
    public synchronized long collections() {
        return collections;
    }

    /** The sum of the heap pools' peaks since the start: an upper bound of {@link #peakUsedBytes}. */
    public long poolPeakSumBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    /** The most heap the JVM may use (-Xmx). */
    public static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Stops measuring: removes the collector listeners, stops the polling thread and waits for it to end (at
     * most {@link #CLOSE_WAIT_MILLIS}; an interrupt of the caller ends the wait and stays set). Safe to call twice.
     */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(onGc);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        try {
            poller.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
