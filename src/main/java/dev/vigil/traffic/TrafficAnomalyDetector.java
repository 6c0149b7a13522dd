package dev.vigil.traffic;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.WindowKey;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.DurationText;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import dev.vigil.spec.TrafficSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
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
 * Seasonal traffic anomalies of one model (all versions summed) and segment, keyed by
 * {@link #key(WindowProfile)}: when the watermark passes the end of a {@code traffic.bucket}, the
 * bucket's event count is compared with the same slot in past seasons ({@link Seasons},
 * {@link TrafficBaseline}) and an {@link Evaluation} of kind {@value #KIND} is emitted at the
 * bucket end, ahead of the watermark; every bucket also gives a {@link TrafficExpectationRow}.
 *
 * <p>Counts come from the merged window profiles. A window re-emitted with late events replaces
 * its earlier count (per model version), and a bucket already evaluated then only rewrites its
 * row. After the first traffic every bucket is evaluated, also one without any window (zero
 * events is the strongest drop), until nothing has arrived for the whole history kept.
 *
 * <p>The bucket of the first window seen is not used: the traffic, or the job, may have begun
 * inside it, and a partial count in the history would look like a spike a day later. A segment of a top-N dimension (no fixed values) is alerted only
 * where it held its own row in every window of the past slots: a segment near the cap folds into
 * {@code other} in some windows, and its count then moves for reasons that are not traffic. In
 * the bucket itself it must have its own row in every window or in none (a large segment whose
 * traffic collapsed folds into {@code other} everywhere: that is the drop). The {@code other}
 * segment itself is not baselined.
 *
 * <p>State per key: the counts of the windows still within the allowed lateness, and one
 * {@code [events, windows]} pair per bucket for {@code history} weeks. At the end of a bounded
 * input (watermark at its maximum) only buckets the data fully covered are evaluated.
 */
public final class TrafficAnomalyDetector extends KeyedProcessFunction<String, WindowProfile, TrafficExpectationRow> {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "traffic";
    /** The traffic of a model is the sum over its versions; alerts carry this in place of one version. */
    public static final String ALL_VERSIONS = "*";
    public static final OutputTag<Evaluation> EVALUATIONS =
            new OutputTag<>("traffic-evaluations", Types.POJO(Evaluation.class)) {};

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final MonitorSpec spec;

    /** {@code <windowStart>/<version>} to that version's events in the window. */
    private transient MapState<String, Long> versionEvents;
    /** Window start to the events of all versions in the window. */
    private transient MapState<Long, Long> windowEvents;
    /** Bucket start to {@code [events, windows with a row]}. */
    private transient MapState<Long, long[]> buckets;
    private transient ValueState<Long> firstCompleteBucket;
    private transient ValueState<Long> lastWindowEnd;
    private transient ValueState<Long> nextEvaluation;
    private transient Counter lateRewrites;

    public TrafficAnomalyDetector(MonitorSpec spec) {
        this.spec = spec;
    }

    public static String key(WindowProfile p) {
        return p.model + '\u0001' + p.segment;
    }

    @Override
    public void open(OpenContext context) {
        versionEvents = getRuntimeContext().getMapState(new MapStateDescriptor<>("version-events", Types.STRING, Types.LONG));
        windowEvents = getRuntimeContext().getMapState(new MapStateDescriptor<>("window-events", Types.LONG, Types.LONG));
        buckets = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("buckets", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        firstCompleteBucket = getRuntimeContext().getState(new ValueStateDescriptor<>("first-complete-bucket", Types.LONG));
        lastWindowEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-end", Types.LONG));
        nextEvaluation = getRuntimeContext().getState(new ValueStateDescriptor<>("next-evaluation", Types.LONG));
        lateRewrites = getRuntimeContext().getMetricGroup().counter("trafficLateBucketRewrites");
    }

    @Override
    public void processElement(WindowProfile p, Context ctx, Collector<TrafficExpectationRow> out) throws Exception {
        ModelSpec model = spec.model(p.model);
        TrafficSpec traffic = model == null ? null : model.traffic();
        if (traffic == null || !baselined(model, traffic, p.segment)) return;
        long size = traffic.bucket().toMillis();
        long bucket = Math.floorDiv(p.windowStart, size) * size;
        long events = ProfileCodec.events(p.profile);

        // A re-emitted window carries its new total: replace this version's count, do not add.
        String versionKey = p.windowStart + "/" + p.modelVersion;
        Long before = versionEvents.get(versionKey);
        long delta = events - (before == null ? 0 : before);
        versionEvents.put(versionKey, events);
        Long windowTotal = windowEvents.get(p.windowStart);
        windowEvents.put(p.windowStart, (windowTotal == null ? 0 : windowTotal) + delta);
        long[] counts = buckets.get(bucket);
        if (counts == null) counts = new long[2];
        counts[0] += delta;
        if (windowTotal == null) counts[1]++;
        buckets.put(bucket, counts);

        if (firstCompleteBucket.value() == null) {
            // The first window seen may itself be partial (traffic or the job began inside it): its bucket is never history.
            firstCompleteBucket.update(bucket + size);
        }
        Long last = lastWindowEnd.value();
        if (last == null || p.windowEnd > last) lastWindowEnd.update(p.windowEnd);

        long evaluateAt = bucket + size - 1;
        if (evaluateAt <= ctx.timerService().currentWatermark()) {
            // Late events of a bucket already evaluated: the lifecycle has moved on, the row can still be corrected.
            lateRewrites.inc();
            evaluate(model, traffic, p.model, p.segment, bucket, null, out);
        } else if (nextEvaluation.value() == null) {
            nextEvaluation.update(evaluateAt);
            ctx.timerService().registerEventTimeTimer(evaluateAt);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrafficExpectationRow> out) throws Exception {
        nextEvaluation.clear();
        String[] parts = ctx.getCurrentKey().split("\u0001", -1);
        ModelSpec model = spec.model(parts[0]);
        TrafficSpec traffic = model == null ? null : model.traffic();
        if (traffic == null || !baselined(model, traffic, parts[1])) {
            forgetAll(); // the spec no longer asks for this model's or segment's traffic
            return;
        }
        long size = traffic.bucket().toMillis();
        long bucketEnd = timestamp + 1;
        long bucket = bucketEnd - size;
        long watermark = ctx.timerService().currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        Long last = lastWindowEnd.value();
        if (!endOfInput || (last != null && last >= bucketEnd)) {
            evaluate(model, traffic, parts[0], parts[1], bucket, ctx, out);
        }

        long lateness = model.allowedLateness().toMillis();
        long window = model.windowMillis();
        for (Iterator<Map.Entry<Long, Long>> it = windowEvents.iterator(); it.hasNext(); ) {
            long start = it.next().getKey();
            if (start + window - 1 + lateness <= watermark) it.remove();
        }
        for (Iterator<Map.Entry<String, Long>> it = versionEvents.iterator(); it.hasNext(); ) {
            String k = it.next().getKey();
            long start = Long.parseLong(k.substring(0, k.indexOf('/')));
            if (start + window - 1 + lateness <= watermark) it.remove();
        }
        long retention = traffic.history() * Seasons.WEEK_MS;
        for (Iterator<Map.Entry<Long, long[]>> it = buckets.iterator(); it.hasNext(); ) {
            if (it.next().getKey() < bucketEnd - retention) it.remove();
        }
        if (last == null || last <= bucketEnd - retention) {
            forgetAll(); // no traffic for as long as history is kept: a new start later begins from scratch
            return;
        }
        if (!endOfInput) {
            nextEvaluation.update(timestamp + size);
            ctx.timerService().registerEventTimeTimer(timestamp + size);
        }
    }

    /**
     * Writes the bucket's row and, with a timer context, emits its evaluation (the caller is the
     * bucket's timer, so the evaluation is ahead of the watermark).
     */
    private void evaluate(ModelSpec model, TrafficSpec traffic, String modelName, String segment, long bucket,
                          OnTimerContext ctx, Collector<TrafficExpectationRow> out) throws Exception {
        Long since = firstCompleteBucket.value();
        if (since == null || bucket < since) return; // a partial first bucket
        long size = traffic.bucket().toMillis();
        long[] counts = buckets.get(bucket);
        long observed = counts == null ? 0 : counts[0];
        TrafficExpectationRow row = new TrafficExpectationRow(modelName, segment, bucket, bucket + size, observed);
        if (bucket - since >= traffic.minHistory().toMillis()) {
            Seasons seasons = Seasons.of(bucket, since, traffic.history());
            if (seasons.slots().length > 0) {
                long[] past = new long[seasons.slots().length];
                boolean ownRowEverywhere = true;
                long windowsPerBucket = size / model.windowMillis();
                for (int i = 0; i < past.length; i++) {
                    long[] c = buckets.get(seasons.slots()[i]);
                    past[i] = c == null ? 0 : c[0];
                    if (c == null || c[1] < windowsPerBucket) ownRowEverywhere = false;
                }
                // Now: in every window (comparable) or in none (it collapsed, or is no longer among the largest).
                long present = counts == null ? 0 : counts[1];
                if (present != 0 && present != windowsPerBucket) ownRowEverywhere = false;
                TrafficBaseline baseline = TrafficBaseline.of(past, traffic.minRelativeSpread());
                double deviations = baseline.deviations(observed);
                row.expected = baseline.expected();
                row.spread = baseline.spread();
                row.deviations = deviations;
                row.season = seasons.kind();
                row.historySeasons = seasons.slots().length;
                String severity = null;
                String reason = null;
                if (baseline.expected() < traffic.minExpected()) {
                    reason = "expected below min-expected (" + traffic.minExpected() + "), too few events to alert on";
                } else if (!ownRowEverywhere && topN(model, segment)) {
                    reason = "the segment did not keep its own row in every window of this bucket and the past slots "
                            + "(it folds into 'other' near the dimension's max-values), so its count is not comparable";
                } else if (Math.abs(deviations) >= traffic.critical()) {
                    severity = Severity.CRITICAL;
                } else if (Math.abs(deviations) >= traffic.warning()) {
                    severity = Severity.WARNING;
                }
                row.breached = severity;
                if (ctx != null) {
                    ctx.output(EVALUATIONS, new Evaluation(modelName, ALL_VERSIONS, segment, "", KIND, bucket + size)
                            .result(severity, Math.abs(deviations), severity == null || severity.equals(Severity.WARNING)
                                            ? traffic.warning() : traffic.critical(),
                                    explanation(modelName, segment, traffic, seasons, baseline, row, severity, reason))
                            .policy(traffic.fireAfter(), traffic.resolveAfter()));
                }
            }
        }
        out.collect(row);
    }

    private static String explanation(String model, String segment, TrafficSpec traffic, Seasons seasons,
                                      TrafficBaseline baseline, TrafficExpectationRow row, String severity, String reason) {
        double d = row.deviations;
        String direction = d < 0 ? "drop" : "spike";
        String bucket = DurationText.format(traffic.bucket());
        StringBuilder b = new StringBuilder(240);
        b.append(severity == null ? "Traffic" : "Traffic " + direction).append(" of ").append(model)
                .append(" (all versions), segment ").append(segment).append(": ")
                .append(row.observed).append(" events in ").append(CLOCK.format(Instant.ofEpochMilli(row.bucketStart)))
                .append("–").append(CLOCK.format(Instant.ofEpochMilli(row.bucketEnd)).substring(6)).append(" UTC, expected ")
                .append(String.format(Locale.ROOT, "%.0f ± %.1f", baseline.expected(), baseline.spread()))
                .append(" (median and spread of ").append(seasons.describe(bucket)).append("); ")
                .append(String.format(Locale.ROOT, "%.1f", Math.abs(d))).append(" robust deviations ")
                .append(d < 0 ? "below" : "above");
        if (severity != null) {
            b.append(" (").append(severity).append(" at ").append(String.format(Locale.ROOT, "%.1f",
                    severity.equals(Severity.CRITICAL) ? traffic.critical() : traffic.warning())).append(")");
            b.append(d < 0 ? ". Check the clients and routing that send this traffic, and upstream outages."
                           : ". Check for retries, a new client or a bot, and whether capacity keeps up.");
        } else if (reason != null) {
            b.append("; not alerted: ").append(reason).append('.');
        } else {
            b.append(String.format(Locale.ROOT, " (warning at %.1f).", traffic.warning()));
        }
        return b.toString();
    }

    /** {@code all} and the segments of the dimensions listed in {@code traffic.segments}, except {@code other}. */
    static boolean baselined(ModelSpec model, TrafficSpec traffic, String segment) {
        if (segment.equals(WindowKey.ALL)) return true;
        int eq = segment.indexOf('=');
        if (eq < 0) return false;
        String dimension = segment.substring(0, eq);
        return traffic.baselines(dimension) && model.segmentSlot(dimension) != null
                && !segment.substring(eq + 1).equals(SegmentDimension.OTHER);
    }

    /** A segment of a dimension capped at its most frequent values (rather than a fixed list). */
    private static boolean topN(ModelSpec model, String segment) {
        int eq = segment.indexOf('=');
        if (eq < 0) return false;
        Integer slot = model.segmentSlot(segment.substring(0, eq));
        return slot != null && !model.segments().get(slot).hasFixedValues();
    }

    private void forgetAll() {
        versionEvents.clear();
        windowEvents.clear();
        buckets.clear();
        firstCompleteBucket.clear();
        lastWindowEnd.clear();
        nextEvaluation.clear();
    }
}
