package dev.vigil.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One replayed "partition": {@code count} events whose event time runs evenly through the
 * simulated span, like a Kafka partition covering the same hour as its siblings. Mutable only in
 * {@link #position}, by the one reader that owns it.
 */
public final class BenchSplit implements SourceSplit {
    final int partition;
    /** Where in the payload pool this split starts cycling. */
    final int poolStart;
    final long count;
    final long startMillis;
    final long spanMillis;
    /** The next event to emit, 0-based. */
    long position;

    BenchSplit(int partition, int poolStart, long count, long startMillis, long spanMillis, long position) {
        this.partition = partition;
        this.poolStart = poolStart;
        this.count = count;
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
        this.position = position;
    }

    @Override
    public String splitId() {
        return "bench-" + partition;
    }

    /** The replay clock at event {@code i}: evenly spread over the span. */
    long clockAt(long i) {
        return startMillis + (long) ((double) i * spanMillis / count);
    }

    BenchSplit copy() {
        return new BenchSplit(partition, poolStart, count, startMillis, spanMillis, position);
    }

    /** Serializes one split; the enumerator's checkpoint is a list of them. */
    static final class Serializer implements SimpleVersionedSerializer<BenchSplit> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(BenchSplit s) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(48);
            write(out, s);
            return out.getCopyOfBuffer();
        }

        @Override
        public BenchSplit deserialize(int version, byte[] bytes) throws IOException {
            return read(new DataInputDeserializer(bytes));
        }

        static void write(DataOutputSerializer out, BenchSplit s) throws IOException {
            out.writeInt(s.partition);
            out.writeInt(s.poolStart);
            out.writeLong(s.count);
            out.writeLong(s.startMillis);
            out.writeLong(s.spanMillis);
            out.writeLong(s.position);
        }

        static BenchSplit read(DataInputDeserializer in) throws IOException {
            return new BenchSplit(in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
    }

    /** The enumerator's checkpoint: the splits not yet assigned. */
    static final class ListSerializer implements SimpleVersionedSerializer<List<BenchSplit>> {
        static final ListSerializer INSTANCE = new ListSerializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<BenchSplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(16 + 48 * splits.size());
            out.writeInt(splits.size());
            for (BenchSplit s : splits) Serializer.write(out, s);
            return out.getCopyOfBuffer();
        }

        @Override
        public List<BenchSplit> deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<BenchSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) splits.add(Serializer.read(in));
            return splits;
        }
    }
}
