package dev.vigil.profile;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Merges the partial profiles of one model version, segment dimension and window (keyed by
 * {@link WindowKey#asKey()}) and writes the window's rows when the watermark closes it.
 *
 * <p>Partials arriving after that (late events within the allowed lateness) merge into the kept
 * state and the rows are written again; the sink upserts, so the stored rows become the updated
 * ones. State is cleared when the allowed lateness has passed. The dimension's cardinality cap
 * is applied here, over the whole window: the most frequent values keep their own segment and
 * the rest fold into {@code other}.
 */
public final class ProfileMerger extends KeyedProcessFunction<String, ProfileUpdate, WindowStatsRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<FeatureStatsRow> FEATURE_STATS =
            new OutputTag<>("feature-stats", Types.POJO(FeatureStatsRow.class)) {};

    /** Merged profiles of the models whose spec asks for drift evaluation. */
    public static final OutputTag<WindowProfile> WINDOW_PROFILES =
            new OutputTag<>("window-profiles", Types.POJO(WindowProfile.class)) {};

    private final MonitorSpec spec;
    private final boolean allWindowProfiles;

    private transient MapState<String, byte[]> profiles;
    private transient ValueState<WindowKey> window;
    private transient ValueState<Boolean> written;
    private transient Counter lateUpdatesDropped;
    private transient Counter lateUpdatesMerged;

    public ProfileMerger(MonitorSpec spec) {
        this(spec, false);
    }

    /** @param allWindowProfiles emit {@link #WINDOW_PROFILES} for every model, not only those with drift evaluation */
    public ProfileMerger(MonitorSpec spec, boolean allWindowProfiles) {
        this.spec = spec;
        this.allWindowProfiles = allWindowProfiles;
    }

    @Override
    public void open(OpenContext context) {
        profiles = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("profiles", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", Types.POJO(WindowKey.class)));
        written = getRuntimeContext().getState(new ValueStateDescriptor<>("written", Types.BOOLEAN));
        lateUpdatesDropped = getRuntimeContext().getMetricGroup().counter("lateProfileUpdatesDropped");
        lateUpdatesMerged = getRuntimeContext().getMetricGroup().counter("lateProfileUpdatesMerged");
    }

    @Override
    public void processElement(ProfileUpdate update, Context ctx, Collector<WindowStatsRow> out) throws Exception {
        WindowKey key = update.key;
        ModelSpec model = spec.model(key.model);
        if (model == null || (!key.dimension.equals(WindowKey.ALL) && dimension(model, key) == null)) {
            return; // in flight from before a restart with a spec that no longer has this model or dimension
        }
        long cleanupAt = key.maxTimestamp() + model.allowedLateness().toMillis();
        if (window.value() == null) {
            if (cleanupAt <= ctx.timerService().currentWatermark()) {
                // The window's state is gone; writing this partial alone would overwrite the full rows.
                lateUpdatesDropped.inc();
                return;
            }
            window.update(key);
            ctx.timerService().registerEventTimeTimer(key.maxTimestamp());
            ctx.timerService().registerEventTimeTimer(cleanupAt);
        }
        byte[] stored = profiles.get(update.segmentValue);
        if (stored == null) {
            profiles.put(update.segmentValue, update.profile);
        } else {
            SegmentProfile merged = ProfileCodec.decode(stored);
            merged.merge(ProfileCodec.decode(update.profile));
            profiles.put(update.segmentValue, ProfileCodec.encode(merged));
        }
        if (Boolean.TRUE.equals(written.value())) {
            lateUpdatesMerged.inc();
            writeRows(key, model, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowStatsRow> out) throws Exception {
        WindowKey key = window.value();
        if (key == null) return;
        ModelSpec model = spec.model(key.model);
        if (model == null || (!key.dimension.equals(WindowKey.ALL) && dimension(model, key) == null)) {
            // The spec no longer has this model or dimension (restored from an older savepoint): forget the window.
            profiles.clear();
            window.clear();
            written.clear();
            return;
        }
        if (timestamp == key.maxTimestamp()) {
            writeRows(key, model, ctx, out);
            written.update(true);
        }
        if (timestamp == key.maxTimestamp() + model.allowedLateness().toMillis()) {
            profiles.clear();
            window.clear();
            written.clear();
        }
    }

    private void writeRows(WindowKey key, ModelSpec model, Context ctx, Collector<WindowStatsRow> out) throws Exception {
        List<Map.Entry<String, SegmentProfile>> segments = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : profiles.entries()) {
            segments.add(Map.entry(e.getKey(), ProfileCodec.decode(e.getValue())));
        }
        if (key.dimension.equals(WindowKey.ALL)) {
            for (Map.Entry<String, SegmentProfile> s : segments) {
                write(key, WindowKey.ALL, s.getValue(), 0, model, ctx, out);
            }
            return;
        }
        SegmentDimension dimension = dimension(model, key);
        segments.sort(Comparator.<Map.Entry<String, SegmentProfile>>comparingLong(s -> -s.getValue().events())
                .thenComparing(Map.Entry::getKey));
        SegmentProfile other = null;
        int folded = 0;
        int kept = 0;
        for (Map.Entry<String, SegmentProfile> s : segments) {
            boolean fold = s.getKey().equals(SegmentDimension.OTHER)
                    || (!dimension.hasFixedValues() && kept >= dimension.maxValues());
            if (fold) {
                if (other == null) {
                    other = SegmentProfile.empty(model);
                }
                other.merge(s.getValue());
                if (!s.getKey().equals(SegmentDimension.OTHER)) folded++;
            } else {
                write(key, key.segmentName(s.getKey()), s.getValue(), 0, model, ctx, out);
                kept++;
            }
        }
        if (other != null) {
            write(key, key.segmentName(SegmentDimension.OTHER), other, folded, model, ctx, out);
        }
    }

    private static SegmentDimension dimension(ModelSpec model, WindowKey key) {
        return model.segments().stream().filter(d -> d.name().equals(key.dimension)).findFirst().orElse(null);
    }

    private void write(WindowKey key, String segment, SegmentProfile profile, int folded, ModelSpec model,
                       Context ctx, Collector<WindowStatsRow> out) {
        out.collect(ProfileRows.windowStats(key, segment, profile, folded));
        for (FeatureStatsRow row : ProfileRows.featureStats(key, segment, profile, model)) {
            ctx.output(FEATURE_STATS, row);
        }
        if (allWindowProfiles || model.needsWindowProfiles()) {
            ctx.output(WINDOW_PROFILES, new WindowProfile(
                    key.model, key.modelVersion, segment, key.windowStart, key.windowEnd, ProfileCodec.encode(profile)));
        }
    }
}
