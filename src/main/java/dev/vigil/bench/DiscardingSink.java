package dev.vigil.bench;

import dev.vigil.profile.WindowKey;
import dev.vigil.profile.WindowStatsRow;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Counts and drops what the job writes; at end of input it reports to the run's {@link BenchProbe}. */
final class DiscardingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    enum Kind { WINDOW_STATS, FEATURE_STATS, DEAD_LETTERS, OTHER }

    private final String probeId;
    private final Kind kind;

    DiscardingSink(String probeId, Kind kind) {
        this.probeId = probeId;
        this.kind = kind;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(BenchProbe.lookup(probeId), kind);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BenchProbe probe;
        private final Kind kind;
        private long rows;
        private long events;
        private long late;
        private boolean reported;

        Writer(BenchProbe probe, Kind kind) {
            this.probe = probe;
            this.kind = kind;
            probe.taskThreadStarted();
        }

        @Override
        public void write(T element, Context context) {
            rows++;
            if (kind == Kind.WINDOW_STATS) {
                WindowStatsRow row = (WindowStatsRow) element;
                if (WindowKey.ALL.equals(row.segment)) {
                    events += row.events;
                    late += row.lateEventsDropped;
                }
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput) report();
        }

        @Override
        public void close() {
            report();
        }

        private void report() {
            if (reported) return;
            reported = true;
            probe.sinkFinished(System.nanoTime());
            probe.taskThreadEnded();
            switch (kind) {
                case WINDOW_STATS -> {
                    probe.windowRows.add(rows);
                    probe.profiledEvents.add(events);
                    probe.lateDropped.add(late);
                }
                case FEATURE_STATS -> probe.featureRows.add(rows);
                case DEAD_LETTERS -> probe.deadLetters.add(rows);
            }
        }
    }
}
