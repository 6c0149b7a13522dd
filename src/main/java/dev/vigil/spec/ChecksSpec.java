package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Input and output checks on every window and segment. Inputs: per feature, upper limits
 * {@code [warning, critical]} on the missing, out-of-range, type-mismatch and unseen-category
 * rates (model-wide, with per-feature overrides), and a stuck feature (one that arrives
 * constant). Outputs: bands for the mean score (or predicted value) and for the share of each
 * predicted label. A rate or a band is evaluated only when its denominator has at least
 * {@code minEvents} values in the window. Formulas: docs/checks.md.
 *
 * @param rates the model-wide limit of each rate in {@link #RATES}; a rate without an entry is not checked
 * @param features per-feature overrides, by feature name
 * @param stuckSeverity the severity of a stuck feature, or null when stuck features are not checked
 * @param scoreMean the band of the mean score, or null
 * @param labelShare the band of each predicted label's share, by label
 */
public record ChecksSpec(
        Map<String, DriftSpec.Threshold> rates,
        Map<String, FeatureChecks> features,
        String stuckSeverity,
        Band scoreMean,
        Map<String, Band> labelShare,
        long minEvents,
        int fireAfter,
        int resolveAfter)
        implements Serializable {

    public static final String MISSING_RATE = "missing-rate";
    public static final String OUT_OF_RANGE_RATE = "out-of-range-rate";
    public static final String TYPE_MISMATCH_RATE = "type-mismatch-rate";
    public static final String UNSEEN_RATE = "unseen-rate";
    /** The rates a spec may limit, model-wide or per feature. */
    public static final List<String> RATES = List.of(MISSING_RATE, OUT_OF_RANGE_RATE, TYPE_MISMATCH_RATE, UNSEEN_RATE);

    /** The limits used when the spec names none. */
    public static final Map<String, DriftSpec.Threshold> DEFAULT_RATES = Map.of(
            MISSING_RATE, new DriftSpec.Threshold(0.05, 0.2),
            OUT_OF_RANGE_RATE, new DriftSpec.Threshold(0.05, 0.2),
            TYPE_MISMATCH_RATE, new DriftSpec.Threshold(0.01, 0.05),
            UNSEEN_RATE, new DriftSpec.Threshold(0.05, 0.2));
    public static final String DEFAULT_STUCK_SEVERITY = "warning";
    public static final long DEFAULT_MIN_EVENTS = 100;
    public static final int DEFAULT_FIRE_AFTER = 3;
    public static final int DEFAULT_RESOLVE_AFTER = 3;

    private static final Set<String> FIELDS = Set.of(MISSING_RATE, OUT_OF_RANGE_RATE, TYPE_MISMATCH_RATE, UNSEEN_RATE,
            "features", "stuck-feature", "score-mean", "label-share", "min-events", "fire-after", "resolve-after");
    private static final Set<String> FEATURE_FIELDS = Set.of(MISSING_RATE, OUT_OF_RANGE_RATE, TYPE_MISMATCH_RATE, UNSEEN_RATE, "stuck");

    /**
     * One feature's overrides: limits that replace the model-wide ones (null value: that rate is
     * off for the feature), and whether a constant value is allowed ({@code stuck: false}).
     */
    public record FeatureChecks(Map<String, DriftSpec.Threshold> rates, boolean stuck) implements Serializable {}

    /**
     * A band a value is expected to stay in: outside {@code [warningLow, warningHigh]} is a
     * warning, outside {@code [criticalLow, criticalHigh]} (when set) critical.
     */
    public record Band(double warningLow, double warningHigh, Double criticalLow, Double criticalHigh) implements Serializable {
        /** The severity of a value: null inside the warning band. */
        public String severity(double value) {
            if (criticalLow != null && (value < criticalLow || value > criticalHigh)) return "critical";
            return value < warningLow || value > warningHigh ? "warning" : null;
        }

        /** The bound a value crossed (or, inside, the nearer warning bound). */
        public double crossed(double value) {
            if (criticalLow != null && value < criticalLow) return criticalLow;
            if (criticalHigh != null && value > criticalHigh) return criticalHigh;
            return value < (warningLow + warningHigh) / 2 ? warningLow : warningHigh;
        }
    }

    /** The limit of a rate for a feature: the feature's override, else the model's; null when not checked. */
    public DriftSpec.Threshold limit(String feature, String rate) {
        FeatureChecks own = features.get(feature);
        if (own != null && own.rates().containsKey(rate)) return own.rates().get(rate);
        return rates.get(rate);
    }

    /** The severity of a stuck {@code feature}, or null when a constant value is allowed. */
    public String stuckSeverity(String feature) {
        FeatureChecks own = features.get(feature);
        return own != null && !own.stuck() ? null : stuckSeverity;
    }

    static ChecksSpec read(JsonNode node, String at, List<FeatureSpec> features, PredictionSpec prediction, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (node.isNull()) node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (!node.isObject()) {
            in.problem(at, "must be a mapping (e.g. {missing-rate: [0.05, 0.2], features: {amount: {stuck: false}}})");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Map<String, DriftSpec.Threshold> rates = new HashMap<>(DEFAULT_RATES);
        for (String rate : RATES) {
            if (node.has(rate)) rates.put(rate, Levels.upper(node.get(rate), at + "." + rate, 0, 1, "shares, e.g. 0.05", in));
        }
        rates.values().removeIf(java.util.Objects::isNull);

        Map<String, FeatureChecks> perFeature = new HashMap<>();
        JsonNode overrides = node.path("features");
        if (!overrides.isMissingNode() && !overrides.isObject()) {
            in.problem(at + ".features", "must be a mapping of feature name to its checks");
        } else if (overrides.isObject()) {
            Map<String, FeatureSpec> byName = new HashMap<>();
            features.forEach(f -> byName.put(f.name(), f));
            for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                String fat = at + ".features." + name;
                FeatureSpec feature = byName.get(name);
                if (feature == null) {
                    in.problem(fat, "not a feature of this model");
                    continue;
                }
                FeatureChecks own = feature(overrides.get(name), fat, feature, in);
                if (own != null) perFeature.put(name, own);
            }
        }

        String stuck = DEFAULT_STUCK_SEVERITY;
        JsonNode stuckNode = node.get("stuck-feature");
        if (stuckNode != null) {
            String text = stuckNode.asText("");
            if (Levels.isOff(stuckNode)) {
                stuck = null;
            } else if (text.equals("warning") || text.equals("critical")) {
                stuck = text;
            } else {
                in.problem(at + ".stuck-feature", "must be warning, critical or off");
            }
        }

        Band scoreMean = node.has("score-mean")
                ? Levels.band(node.get("score-mean"), at + ".score-mean", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, in)
                : null;
        Map<String, Band> labelShare = new LinkedHashMap<>();
        JsonNode labels = node.path("label-share");
        if (!labels.isMissingNode()) {
            if (!labels.isObject() || labels.isEmpty()) {
                in.problem(at + ".label-share", "must be a mapping of predicted label to its band, e.g. {fraud: [0.001, 0.05]}");
            } else {
                Set<String> declared = new HashSet<>(prediction.labels());
                for (Iterator<String> it = labels.fieldNames(); it.hasNext(); ) {
                    String label = it.next();
                    if (!declared.isEmpty() && !declared.contains(label)) {
                        in.problem(at + ".label-share." + label, "not one of the model's prediction.labels "
                                + prediction.labels());
                        continue;
                    }
                    Band band = Levels.band(labels.get(label), at + ".label-share." + label, 0, 1, in);
                    if (band != null) labelShare.put(label, band);
                }
            }
        }
        long minEvents = in.positiveInt(node, "min-events", at, DEFAULT_MIN_EVENTS);
        int fireAfter = (int) in.positiveInt(node, "fire-after", at, DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) in.positiveInt(node, "resolve-after", at, DEFAULT_RESOLVE_AFTER);
        return new ChecksSpec(Map.copyOf(rates), Map.copyOf(perFeature), stuck, scoreMean,
                java.util.Collections.unmodifiableMap(labelShare), minEvents, fireAfter, resolveAfter);
    }

    private static FeatureChecks feature(JsonNode node, String at, FeatureSpec feature, MonitorSpecLoader in) {
        if (!node.isObject()) {
            in.problem(at, "must be a mapping, e.g. {missing-rate: [0.3, 0.5], stuck: false}");
            return null;
        }
        in.unknownFields(node, FEATURE_FIELDS, at);
        Map<String, DriftSpec.Threshold> rates = new HashMap<>();
        for (String rate : RATES) {
            if (!node.has(rate)) continue;
            String rat = at + "." + rate;
            if (rate.equals(OUT_OF_RANGE_RATE) && feature.type() != FeatureType.NUMERIC) {
                in.problem(rat, "only numeric features have a range (use unseen-rate for categories)");
            } else if (rate.equals(UNSEEN_RATE) && feature.type() != FeatureType.CATEGORICAL) {
                in.problem(rat, "only categorical features have unseen categories");
            }
            rates.put(rate, Levels.upper(node.get(rate), rat, 0, 1, "shares, e.g. 0.05", in));
        }
        boolean stuck = true;
        JsonNode stuckNode = node.get("stuck");
        if (stuckNode != null) {
            if (!stuckNode.isBoolean()) {
                in.problem(at + ".stuck", "must be true or false (false: a constant value is expected)");
            } else {
                stuck = stuckNode.booleanValue();
            }
        }
        // Map.copyOf rejects null values: a rate turned off for this feature is kept as an explicit null.
        return new FeatureChecks(java.util.Collections.unmodifiableMap(rates), stuck);
    }
}
