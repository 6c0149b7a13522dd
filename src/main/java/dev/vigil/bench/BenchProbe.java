package dev.vigil.bench;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one bench job reports back to the command: when the first event left a source, when the
 * last result row reached a sink, and how many events the result rows account for. Shared through
 * a registry because the job runs on a local cluster in this JVM.
 */
public final class BenchProbe {
    private static final Map<String, BenchProbe> REGISTRY = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final AtomicLong firstEventNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong sourcesDoneNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong sinksDoneNanos = new AtomicLong(Long.MIN_VALUE);
    final LongAdder emitted = new LongAdder();
    final LongAdder windowRows = new LongAdder();
    final LongAdder featureRows = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    /** Sum of {@code events} over the all-traffic rows: every profiled event exactly once. */
    final LongAdder profiledEvents = new LongAdder();
    final LongAdder lateDropped = new LongAdder();
    /** Per task thread: its CPU time when the first of its operators started, and when the last one ended. */
    private final Map<Long, Long> threadCpuAtStart = new ConcurrentHashMap<>();
    private final Map<Long, Long> threadCpuAtEnd = new ConcurrentHashMap<>();

    private BenchProbe() {}

    public static BenchProbe create() {
        BenchProbe p = new BenchProbe();
        REGISTRY.put(p.id, p);
        return p;
    }

    static BenchProbe lookup(String id) {
        BenchProbe p = REGISTRY.get(id);
        if (p == null) throw new IllegalStateException("bench probe " + id + " is not in this JVM: the bench runs on a local cluster only");
        return p;
    }

    public void unregister() {
        REGISTRY.remove(id);
    }

    public String id() {
        return id;
    }

    void sourceStarted(long nanos) {
        firstEventNanos.accumulateAndGet(nanos, Math::min);
    }

    void sourceFinished(long nanos, long events) {
        sourcesDoneNanos.accumulateAndGet(nanos, Math::max);
        emitted.add(events);
    }

    void sinkFinished(long nanos) {
        sinksDoneNanos.accumulateAndGet(nanos, Math::max);
    }

    /** First event emitted to last result row written, in seconds. */
    public double processingSeconds() {
        return (sinksDoneNanos.get() - firstEventNanos.get()) / 1e9;
    }

    /** First event emitted to last event emitted, in seconds. */
    public double sourceSeconds() {
        return (sourcesDoneNanos.get() - firstEventNanos.get()) / 1e9;
    }

    /** Called by the bench's source reader and sinks as they open, in their task's thread. */
    void taskThreadStarted() {
        threadCpuAtStart.putIfAbsent(Thread.currentThread().getId(), threadCpuNanos());
    }

    /** Called by the bench's source reader and sinks as they end, in their task's thread. */
    void taskThreadEnded() {
        threadCpuAtEnd.merge(Thread.currentThread().getId(), threadCpuNanos(), Math::max);
    }

    /**
     * CPU time of the job's task threads (every chain: source, merge, drift, alerts), in seconds:
     * the cost, whatever else runs on the machine.
     */
    public double taskCpuSeconds() {
        long total = 0;
        for (Map.Entry<Long, Long> end : threadCpuAtEnd.entrySet()) {
            Long start = threadCpuAtStart.get(end.getKey());
            if (start != null) total += end.getValue() - start;
        }
        return total / 1e9;
    }

    /** Task threads seen, e.g. 2 at parallelism 1 for the source chain and the merge chain. */
    public int taskThreads() {
        return threadCpuAtEnd.size();
    }

    /** CPU time the calling thread has used, in nanoseconds; 0 where the JVM cannot tell. */
    static long threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    public long emitted() {
        return emitted.sum();
    }

    public long profiledEvents() {
        return profiledEvents.sum();
    }

    public long lateDropped() {
        return lateDropped.sum();
    }

    public long deadLetters() {
        return deadLetters.sum();
    }

    public long windowRows() {
        return windowRows.sum();
    }

    public long featureRows() {
        return featureRows.sum();
    }
}
