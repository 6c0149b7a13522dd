package dev.vigil.bench;

import dev.vigil.events.InferenceEvent;
import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.InferenceRecordDeserializer;
import dev.vigil.events.ParsedRecord;
import dev.vigil.events.ParserLimits;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Single-thread figures without Flink, to show where an event's time goes: the source's copy of
 * the payload, the parse (through the production deserializer), and the fold into partial
 * profiles. The fold mirrors {@code ProfileAccumulator.processElement}: find the (model, version,
 * window) bucket, add the event to its all-traffic profile and to one profile per segment
 * dimension; closed windows are encoded with {@link ProfileCodec} as the accumulator emits them.
 * Each figure is the median of {@code rounds} rounds after a warm-up round.
 */
public final class MicroBench {
    private static final String TOPIC = "bench-inference-logs";

    private final MonitorSpec spec;
    private final PayloadPool pool;
    private final long startMillis;
    private final double millisPerEvent;
    private final int rounds;

    /** Keeps results alive so the JIT cannot drop the work. */
    static volatile long sink;

    /**
     * @param millisPerEvent how far the replay clock moves per event; the Flink run's pace, so the
     *     windows (and so the sketches) have the same size
     */
    public MicroBench(MonitorSpec spec, PayloadPool pool, long startMillis, double millisPerEvent, int rounds) {
        this.spec = spec;
        this.pool = pool;
        this.startMillis = startMillis;
        this.millisPerEvent = millisPerEvent;
        this.rounds = rounds;
    }

    /** One figure: median seconds of a round of {@code events} events. */
    public record Figure(String mode, long events, double seconds, double minSeconds, double maxSeconds, double cpuSeconds) {
        public double nanosPerEvent() {
            return seconds * 1e9 / events;
        }

        /** Thread CPU time per event (median round): the cost, whatever else shares the core. */
        public double cpuNanosPerEvent() {
            return cpuSeconds * 1e9 / events;
        }
    }

    /** What each round does per event. */
    private interface Round {
        long run(int events);
    }

    public List<Figure> run(int events, PayloadPool otherFormat) {
        List<Figure> figures = new ArrayList<>();
        figures.add(measure("micro: copy payload + set timestamp", events, n -> copyOnly(pool, n)));
        figures.add(measure("micro: parse (" + pool.format().cliName() + " timestamps)", events, n -> parse(pool, n, null)));
        InferenceEvent[] parsed = preParse(Math.min(pool.size(), 100_000));
        figures.add(measure("micro: profile fold only (pre-parsed)", events, n -> foldOnly(parsed, n)));
        figures.add(measure("micro: parse + profile fold", events, n -> parse(pool, n, new LocalFold(spec))));
        if (otherFormat != null) {
            figures.add(measure("micro: parse (" + otherFormat.format().cliName() + " timestamps)", events, n -> parse(otherFormat, n, null)));
        }
        return figures;
    }

    private Figure measure(String mode, int events, Round round) {
        sink += round.run(events); // warm-up
        double[] seconds = new double[rounds];
        double[] cpu = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = BenchProbe.threadCpuNanos();
            long t0 = System.nanoTime();
            sink += round.run(events);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
            cpu[r] = (BenchProbe.threadCpuNanos() - c0) / 1e9;
        }
        Arrays.sort(seconds);
        Arrays.sort(cpu);
        return new Figure(mode, events, seconds[rounds / 2], seconds[0], seconds[rounds - 1], cpu[rounds / 2]);
    }

    private long clock(long i) {
        return startMillis + (long) (i * millisPerEvent);
    }

    private long copyOnly(PayloadPool p, int events) {
        TimestampWriter writer = new TimestampWriter(p.format());
        long check = 0;
        for (int i = 0; i < events; i++) {
            int index = i % p.size();
            byte[] bytes = p.materialize(index, clock(i) - p.trailMs(index), writer);
            check += bytes[bytes.length - 1];
        }
        return check;
    }

    /** The source reader's per-event work; with a fold, the accumulator's too. */
    private long parse(PayloadPool p, int events, LocalFold fold) {
        TimestampWriter writer = new TimestampWriter(p.format());
        InferenceRecordDeserializer deserializer = new InferenceRecordDeserializer(new InferenceEventParser(spec, ParserLimits.DEFAULTS));
        LastRecord out = new LastRecord();
        long check = 0;
        for (int i = 0; i < events; i++) {
            int index = i % p.size();
            long eventTime = clock(i) - p.trailMs(index);
            byte[] bytes = p.materialize(index, eventTime, writer);
            deserializer.deserialize(new ConsumerRecord<>(TOPIC, 0, i, null, bytes), out);
            InferenceEvent e = out.record.event;
            if (e == null) throw new IllegalStateException("bench payload was dead-lettered: " + out.record.deadLetter.detail);
            check += e.timestamp;
            if (fold != null) fold.add(e, clock(i));
        }
        if (fold != null) check += fold.closeAll();
        return check;
    }

    private long foldOnly(InferenceEvent[] events, int n) {
        LocalFold fold = new LocalFold(spec);
        for (int i = 0; i < n; i++) {
            int index = i % events.length;
            InferenceEvent e = events[index];
            e.timestamp = clock(i) - pool.trailMs(index);
            fold.add(e, clock(i));
        }
        return fold.closeAll();
    }

    private InferenceEvent[] preParse(int n) {
        InferenceEventParser parser = new InferenceEventParser(spec, ParserLimits.DEFAULTS);
        InferenceEvent[] events = new InferenceEvent[n];
        for (int i = 0; i < n; i++) {
            ParsedRecord r = parser.parse(pool.template(i), TOPIC, 0, i, System.currentTimeMillis());
            if (r.event == null) throw new IllegalStateException("bench payload was dead-lettered: " + r.deadLetter.detail);
            events[i] = r.event;
        }
        return events;
    }

    private static final class LastRecord implements Collector<ParsedRecord> {
        ParsedRecord record;

        @Override
        public void collect(ParsedRecord r) {
            record = r;
        }

        @Override
        public void close() {}
    }

    /** The per-event work of {@code ProfileAccumulator}, without Flink around it. */
    private static final class LocalFold {
        private record Key(String model, String version, long start) {}

        private static final class Bucket {
            final ModelSpec model;
            final long end;
            final SegmentProfile all;
            final List<Map<String, SegmentProfile>> byDimension = new ArrayList<>();

            Bucket(ModelSpec model, long start) {
                this.model = model;
                this.end = start + model.windowMillis();
                this.all = SegmentProfile.empty(model);
                for (int d = 0; d < model.segments().size(); d++) byDimension.add(new HashMap<>());
            }
        }

        private final MonitorSpec spec;
        private final Map<Key, Bucket> buckets = new HashMap<>();
        private long nextClose = Long.MIN_VALUE;
        private long encodedBytes;

        LocalFold(MonitorSpec spec) {
            this.spec = spec;
        }

        void add(InferenceEvent e, long clock) {
            ModelSpec model = spec.model(e.model);
            long start = model.windowStart(e.timestamp);
            Key key = new Key(model.name(), e.modelVersion, start);
            Bucket b = buckets.get(key);
            if (b == null) {
                b = new Bucket(model, start);
                buckets.put(key, b);
            }
            b.all.add(e, model);
            for (int d = 0; d < b.byDimension.size(); d++) {
                Map<String, SegmentProfile> values = b.byDimension.get(d);
                SegmentProfile p = values.get(e.segments[d]);
                if (p == null) {
                    p = SegmentProfile.empty(model);
                    values.put(e.segments[d], p);
                }
                p.add(e, model);
            }
            // The job's watermark trails the clock by the 10 s out-of-orderness; close what it passed.
            long watermark = clock - 10_001;
            if (watermark >= nextClose) {
                close(watermark);
                nextClose = watermark + 1_000;
            }
        }

        long closeAll() {
            close(Long.MAX_VALUE);
            return encodedBytes;
        }

        private void close(long watermark) {
            for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
                Bucket b = it.next();
                if (b.end - 1 > watermark) continue;
                encodedBytes += ProfileCodec.encode(b.all).length;
                for (Map<String, SegmentProfile> values : b.byDimension) {
                    for (SegmentProfile p : values.values()) encodedBytes += ProfileCodec.encode(p).length;
                }
                it.remove();
            }
        }
    }
}
