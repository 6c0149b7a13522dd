package dev.vigil.bench;

import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.InferenceRecordDeserializer;
import dev.vigil.events.ParsedRecord;
import dev.vigil.events.ParserLimits;
import dev.vigil.spec.MonitorSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source standing in for the Kafka source: {@code events} pooled payloads over
 * {@code partitions} splits, each split's event time running through the same simulated span,
 * parsed in the reader by the production deserializer. The job sees exactly what it sees from
 * Kafka: {@link ParsedRecord}s with event time, watermarks per split.
 */
public final class BenchSource implements Source<ParsedRecord, BenchSplit, List<BenchSplit>>, ResultTypeQueryable<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final String poolId;
    private final int poolSize;
    private final String probeId;
    private final InferenceRecordDeserializer deserializer;
    private final long events;
    private final int partitions;
    private final long startMillis;
    private final long spanMillis;

    public BenchSource(PayloadPool pool, BenchProbe probe, MonitorSpec spec, ParserLimits limits,
                       long events, int partitions, long startMillis, long spanMillis) {
        this.poolId = pool.id();
        this.poolSize = pool.size();
        this.probeId = probe.id();
        this.deserializer = new InferenceRecordDeserializer(new InferenceEventParser(spec, limits));
        this.events = events;
        this.partitions = partitions;
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
    }

    List<BenchSplit> splits() {
        List<BenchSplit> splits = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            long count = events / partitions + (p < events % partitions ? 1 : 0);
            int poolStart = (int) ((long) p * poolSize / partitions);
            splits.add(new BenchSplit(p, poolStart, count, startMillis, spanMillis, 0));
        }
        return splits;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<BenchSplit, List<BenchSplit>> createEnumerator(SplitEnumeratorContext<BenchSplit> context) {
        return new BenchSplitEnumerator(context, splits());
    }

    @Override
    public SplitEnumerator<BenchSplit, List<BenchSplit>> restoreEnumerator(
            SplitEnumeratorContext<BenchSplit> context, List<BenchSplit> checkpoint) {
        return new BenchSplitEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<BenchSplit> getSplitSerializer() {
        return BenchSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<BenchSplit>> getEnumeratorCheckpointSerializer() {
        return BenchSplit.ListSerializer.INSTANCE;
    }

    @Override
    public SourceReader<ParsedRecord, BenchSplit> createReader(SourceReaderContext context) {
        return new BenchSourceReader(context, deserializer, poolId, probeId);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return deserializer.getProducedType();
    }
}
