package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Seasonal traffic anomaly detection for one model: the events of each {@code bucket} of event
 * time are compared with the same slot in past seasons (the same time of day, or of the week
 * once enough weeks exist), in robust deviations (median and MAD with noise floors). Both drops
 * and spikes breach. Method and formulas: docs/traffic-and-silence.md.
 *
 * @param bucket the seasonal slot: a multiple of the model window that divides a day
 * @param warning robust deviations at which a bucket is a warning
 * @param critical robust deviations at which a bucket is critical
 * @param minHistory how long a model (or segment) must have been seen before any evaluation
 * @param history how many past seasons (days or weeks) the expected level is taken from
 * @param minRelativeSpread the spread is at least this share of the expected count
 * @param minExpected buckets expecting fewer events are evaluated but never breach (too noisy)
 * @param segments dimensions whose segments get a baseline of their own besides {@code all}
 */
public record TrafficSpec(
        Duration bucket,
        double warning,
        double critical,
        Duration minHistory,
        int history,
        double minRelativeSpread,
        long minExpected,
        List<String> segments,
        int fireAfter,
        int resolveAfter)
        implements Serializable {

    public static final Duration DEFAULT_BUCKET = Duration.ofHours(1);
    public static final double DEFAULT_WARNING = 4;
    public static final double DEFAULT_CRITICAL = 6;
    /** An hour-of-week baseline needs at least a week; a week of hour-of-day history is the least to start with. */
    public static final Duration DEFAULT_MIN_HISTORY = Duration.ofDays(7);
    public static final int DEFAULT_HISTORY = 4;
    public static final int MAX_HISTORY = 12;
    public static final double DEFAULT_MIN_RELATIVE_SPREAD = 0.1;
    public static final long DEFAULT_MIN_EXPECTED = 50;
    public static final int DEFAULT_FIRE_AFTER = 2;
    public static final int DEFAULT_RESOLVE_AFTER = 2;

    private static final Set<String> FIELDS = Set.of("bucket", "deviations", "min-history", "history",
            "min-relative-spread", "min-expected", "segments", "fire-after", "resolve-after");

    public TrafficSpec {
        segments = List.copyOf(segments);
    }

    /** Whether segments of this dimension get their own baseline ({@code all} always does). */
    public boolean baselines(String dimension) {
        return segments.contains(dimension);
    }

    static TrafficSpec read(JsonNode node, String at, Duration modelWindow, List<SegmentDimension> dimensions,
                            MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (!node.isObject()) {
            in.problem(at, "must be a mapping (e.g. {bucket: 1h, deviations: [4, 6]})");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Duration bucket = in.duration(node, "bucket", at + ".bucket", DEFAULT_BUCKET);
        long window = modelWindow.toMillis();
        if (bucket.isZero() || bucket.isNegative() || window <= 0 || bucket.toMillis() % window != 0
                || Duration.ofDays(1).toMillis() % bucket.toMillis() != 0) {
            in.problem(at + ".bucket", "must be a multiple of the model window (" + DurationText.format(modelWindow)
                    + ") that divides a day evenly (e.g. 10m, 15m, 1h)");
        }
        double warning = DEFAULT_WARNING;
        double critical = DEFAULT_CRITICAL;
        JsonNode deviations = node.get("deviations");
        if (deviations != null) {
            if (!deviations.isArray() || deviations.size() != 2 || !deviations.get(0).isNumber()
                    || !deviations.get(1).isNumber() || deviations.get(0).doubleValue() <= 0
                    || deviations.get(0).doubleValue() > deviations.get(1).doubleValue()) {
                in.problem(at + ".deviations", "must be [warning, critical] robust deviations, positive, "
                        + "with the critical level at or above the warning level (e.g. [4, 6])");
            } else {
                warning = deviations.get(0).doubleValue();
                critical = deviations.get(1).doubleValue();
            }
        }
        Duration minHistory = in.duration(node, "min-history", at + ".min-history", DEFAULT_MIN_HISTORY);
        if (minHistory.compareTo(Duration.ofDays(1)) < 0) {
            in.problem(at + ".min-history", "must be at least 1d: the shortest season compared with is a day");
        }
        long history = in.positiveInt(node, "history", at, DEFAULT_HISTORY);
        if (history > MAX_HISTORY) {
            in.problem(at + ".history", "must be at most " + MAX_HISTORY + " past seasons");
            history = DEFAULT_HISTORY;
        }
        double minRelativeSpread = DEFAULT_MIN_RELATIVE_SPREAD;
        JsonNode relative = node.get("min-relative-spread");
        if (relative != null) {
            if (!relative.isNumber() || relative.doubleValue() < 0 || relative.doubleValue() >= 1) {
                in.problem(at + ".min-relative-spread", "must be a number from 0 to below 1 (e.g. 0.1 for 10% of the expected count)");
            } else {
                minRelativeSpread = relative.doubleValue();
            }
        }
        long minExpected = DEFAULT_MIN_EXPECTED;
        JsonNode minExpectedNode = node.get("min-expected");
        if (minExpectedNode != null) {
            if (!minExpectedNode.isIntegralNumber() || minExpectedNode.longValue() < 0) {
                in.problem(at + ".min-expected", "must be a whole number of events per bucket, 0 or more");
            } else {
                minExpected = minExpectedNode.longValue();
            }
        }
        List<String> segments = in.textList(node.get("segments"), at + ".segments");
        for (String s : segments) {
            if (dimensions.stream().noneMatch(d -> d.name().equals(s))) {
                in.problem(at + ".segments", "'" + s + "' is not a segment dimension of this model (expected one of "
                        + String.join(", ", dimensions.stream().map(SegmentDimension::name).toList()) + ")");
            }
        }
        int fireAfter = (int) in.positiveInt(node, "fire-after", at, DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) in.positiveInt(node, "resolve-after", at, DEFAULT_RESOLVE_AFTER);
        return new TrafficSpec(bucket, warning, critical, minHistory, (int) history, minRelativeSpread, minExpected,
                segments, fireAfter, resolveAfter);
    }
}
