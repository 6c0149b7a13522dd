package dev.vigil.bench;

import dev.vigil.events.InferenceRecordDeserializer;
import dev.vigil.events.ParsedRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays pooled payloads through the production {@link InferenceRecordDeserializer}, one record
 * per {@link #pollNext} call and with one output per split, as the Kafka source reader does with
 * the records its fetcher delivers. What a Kafka consumer would do (fetch, decompress, allocate
 * the value array) is reduced to copying the pooled bytes and writing the replay's timestamp.
 */
final class BenchSourceReader implements SourceReader<ParsedRecord, BenchSplit> {
    private static final String TOPIC = "bench-inference-logs";

    private final SourceReaderContext context;
    private final InferenceRecordDeserializer deserializer;
    private final String poolId;
    private final String probeId;
    private final ArrayDeque<BenchSplit> pending = new ArrayDeque<>();
    private final SplitCollector collector = new SplitCollector();

    private PayloadPool pool;
    private BenchProbe probe;
    private TimestampWriter timestamps;
    private BenchSplit current;
    private boolean noMoreSplits;
    private boolean emittedAny;
    private long emitted;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    BenchSourceReader(SourceReaderContext context, InferenceRecordDeserializer deserializer, String poolId, String probeId) {
        this.context = context;
        this.deserializer = deserializer;
        this.poolId = poolId;
        this.probeId = probeId;
    }

    /** Hands parsed records to the current split's output with the payload's event time. */
    private static final class SplitCollector implements Collector<ParsedRecord> {
        SourceOutput<ParsedRecord> output;
        long timestamp;

        @Override
        public void collect(ParsedRecord record) {
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }

    @Override
    public void start() {
        pool = PayloadPool.lookup(poolId);
        probe = BenchProbe.lookup(probeId);
        probe.taskThreadStarted();
        timestamps = new TimestampWriter(pool.format());
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ParsedRecord> output) {
        if (current == null) {
            current = pending.poll();
            if (current == null) {
                if (noMoreSplits) return InputStatus.END_OF_INPUT;
                if (available.isDone()) available = new CompletableFuture<>();
                return InputStatus.NOTHING_AVAILABLE;
            }
            collector.output = output.createOutputForSplit(current.splitId());
        }
        BenchSplit split = current;
        if (split.position >= split.count) {
            output.releaseOutputForSplit(split.splitId());
            current = null;
            probe.sourceFinished(System.nanoTime(), emitted);
            emitted = 0;
            return pending.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
        }
        if (!emittedAny) {
            emittedAny = true;
            probe.sourceStarted(System.nanoTime());
        }
        long i = split.position++;
        int index = (int) ((split.poolStart + i) % pool.size());
        long eventTime = split.clockAt(i) - pool.trailMs(index);
        byte[] value = pool.materialize(index, eventTime, timestamps);
        collector.timestamp = eventTime;
        deserializer.deserialize(new ConsumerRecord<>(TOPIC, split.partition, i, null, value), collector);
        emitted++;
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<BenchSplit> snapshotState(long checkpointId) {
        List<BenchSplit> state = new ArrayList<>();
        if (current != null) state.add(current.copy());
        for (BenchSplit s : pending) state.add(s.copy());
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<BenchSplit> splits) {
        pending.addAll(splits);
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    /** Runs in the task thread after the chain's final flush: the chain's CPU time goes to the probe. */
    @Override
    public void close() {
        if (probe != null) probe.taskThreadEnded();
    }
}
