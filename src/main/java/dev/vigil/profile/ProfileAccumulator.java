package dev.vigil.profile;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Folds events into partial profiles per (model, version, segment, window) inside the subtask
 * that parsed them, before any shuffle (DESIGN.md, principle 1). A hot model costs no more than
 * any other: its events never cross the network and never touch keyed state.
 *
 * <p>Partials are emitted when the watermark closes their window, before a checkpoint barrier
 * (so this operator holds no checkpointed profiles: whatever it held is in the merger's state),
 * when the input goes idle and when too many are open. Events within the allowed lateness fold into a fresh partial that
 * the merger adds to the already-written window; later events are counted as dropped in the
 * window the watermark is in.
 */
public final class ProfileAccumulator extends AbstractStreamOperator<ProfileUpdate>
        implements OneInputStreamOperator<InferenceEvent, ProfileUpdate>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Open segment profiles per subtask before everything is flushed early. */
    public static final int DEFAULT_MAX_OPEN_PROFILES = 20_000;

    private final MonitorSpec spec;
    private final int maxOpenProfiles;

    private transient Map<BucketKey, WindowBucket> buckets;
    private transient int openProfiles;
    private transient long currentWatermark;
    private transient long restoredWatermark;
    private transient ListState<Long> watermarkState;
    private transient Counter eventsProfiled;
    private transient Counter lateEventsDropped;
    private transient Counter segmentValuesFolded;

    public ProfileAccumulator(MonitorSpec spec) {
        this(spec, DEFAULT_MAX_OPEN_PROFILES);
    }

    public ProfileAccumulator(MonitorSpec spec, int maxOpenProfiles) {
        this.spec = spec;
        this.maxOpenProfiles = maxOpenProfiles;
    }

    private record BucketKey(String model, String version, long windowStart) {}

    /** The open profiles of one model version and window: the all-traffic one and one per segment value. */
    private static final class WindowBucket {
        final ModelSpec model;
        final String version;
        final long start;
        final SegmentProfile all;
        final List<Map<String, SegmentProfile>> byDimension = new ArrayList<>();

        WindowBucket(ModelSpec model, String version, long start) {
            this.model = model;
            this.version = version;
            this.start = start;
            this.all = SegmentProfile.empty(model);
            for (int d = 0; d < model.segments().size(); d++) byDimension.add(new HashMap<>());
        }

        long end() {
            return start + model.windowMillis();
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("accumulator-watermark", Long.class));
        restoredWatermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            long min = Long.MAX_VALUE;
            boolean any = false;
            for (Long w : watermarkState.get()) {
                min = Math.min(min, w);
                any = true;
            }
            // After a restore the watermark restarts from nothing; lateness keeps being judged
            // against the lowest watermark the subtasks had reached, as it was before the failure.
            if (any) restoredWatermark = min;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        buckets = new HashMap<>();
        currentWatermark = Long.MIN_VALUE;
        eventsProfiled = getMetricGroup().counter("eventsProfiled");
        lateEventsDropped = getMetricGroup().counter("lateEventsDropped");
        segmentValuesFolded = getMetricGroup().counter("segmentValuesFoldedLocally");
    }

    @Override
    public void processElement(StreamRecord<InferenceEvent> record) {
        InferenceEvent e = record.getValue();
        ModelSpec model = spec.model(e.model);
        long start = model.windowStart(e.timestamp);
        long lateness = model.allowedLateness().toMillis();
        long watermark = Math.max(currentWatermark, restoredWatermark);
        if (start + model.windowMillis() - 1 + lateness <= watermark) {
            bucket(model, e.modelVersion, model.windowStart(watermark)).all.addLateDropped();
            lateEventsDropped.inc();
            return;
        }
        WindowBucket bucket = bucket(model, e.modelVersion, start);
        bucket.all.add(e, model);
        for (int d = 0; d < bucket.byDimension.size(); d++) {
            segmentProfile(bucket, d, e.segments[d]).add(e, model);
        }
        eventsProfiled.inc();
        if (openProfiles > maxOpenProfiles) {
            flush(Long.MAX_VALUE);
        }
    }

    private WindowBucket bucket(ModelSpec model, String version, long start) {
        BucketKey key = new BucketKey(model.name(), version, start);
        WindowBucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new WindowBucket(model, version, start);
            buckets.put(key, bucket);
            openProfiles++;
        }
        return bucket;
    }

    private SegmentProfile segmentProfile(WindowBucket bucket, int d, String value) {
        Map<String, SegmentProfile> values = bucket.byDimension.get(d);
        SegmentProfile profile = values.get(value);
        if (profile != null) return profile;
        SegmentDimension dim = bucket.model.segments().get(d);
        if (dim.hasFixedValues() ? !dim.values().contains(value) : values.size() >= localLimit(dim)) {
            value = SegmentDimension.OTHER;
            segmentValuesFolded.inc();
            profile = values.get(value);
            if (profile != null) return profile;
        }
        profile = SegmentProfile.empty(bucket.model);
        values.put(value, profile);
        openProfiles++;
        return profile;
    }

    /**
     * A guard against unbounded cardinality before the merge. The cap itself is applied by the
     * merger over the whole window; locally a few times more values are kept so the cap's choice
     * of the most frequent values is exact in all but pathological cases.
     */
    static int localLimit(SegmentDimension dim) {
        return Math.max(dim.maxValues() * 4, dim.maxValues() + 100);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        currentWatermark = mark.getTimestamp();
        flush(currentWatermark);
        super.processWatermark(mark);
    }

    /**
     * An idle input stops holding the merger's watermark back, so the merger may close windows
     * this subtask still holds partials for. Hand them over before the input is declared idle.
     */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            flush(Long.MAX_VALUE);
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush(Long.MAX_VALUE);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long watermark = Math.max(currentWatermark, restoredWatermark);
        // A drained job (stop --drain) ends at the maximum watermark; resuming from that savepoint
        // must not judge all new traffic late.
        watermarkState.update(List.of(watermark == Long.MAX_VALUE ? Long.MIN_VALUE : watermark));
    }

    /**
     * The input ended: a bounded source is exhausted or the job is stopped with {@code --drain}.
     * Event time advances to its end, so every window closes. An input that went idle no longer
     * forwards watermarks, so mark it active again before handing on the final watermark.
     */
    @Override
    public void endInput() {
        flush(Long.MAX_VALUE);
        output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }

    @Override
    public void finish() throws Exception {
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits and forgets every bucket whose window closed at or before {@code watermark}. */
    private void flush(long watermark) {
        Iterator<WindowBucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            WindowBucket b = it.next();
            if (b.end() - 1 > watermark) continue;
            emit(b, WindowKey.ALL, WindowKey.ALL, b.all);
            for (int d = 0; d < b.byDimension.size(); d++) {
                String dimension = b.model.segments().get(d).name();
                for (Map.Entry<String, SegmentProfile> v : b.byDimension.get(d).entrySet()) {
                    emit(b, dimension, v.getKey(), v.getValue());
                    openProfiles--;
                }
            }
            openProfiles--;
            it.remove();
        }
    }

    private void emit(WindowBucket b, String dimension, String value, SegmentProfile profile) {
        WindowKey key = new WindowKey(b.model.name(), b.version, dimension, b.start, b.end());
        output.collect(new StreamRecord<>(new ProfileUpdate(key, value, ProfileCodec.encode(profile)), b.end() - 1));
    }
}
