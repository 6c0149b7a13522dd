package dev.vigil.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.spec.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a merged {@link SegmentProfile} into the rows stored in {@code window_stats} and {@code feature_stats}. */
public final class ProfileRows {
    /** How many of a categorical feature's most frequent values are stored per window. */
    public static final int TOP_VALUES = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileRows() {}

    public static WindowStatsRow windowStats(WindowKey key, String segment, SegmentProfile p, int foldedValues) {
        WindowStatsRow r = new WindowStatsRow();
        r.model = key.model;
        r.modelVersion = key.modelVersion;
        r.segment = segment;
        r.windowStart = key.windowStart;
        r.windowEnd = key.windowEnd;
        r.events = p.events();
        r.errors = p.errors();
        r.errorRate = p.events() == 0 ? null : (double) p.errors() / p.events();
        r.fallbacks = p.fallbacks();
        r.lateEventsDropped = p.lateDropped();
        r.foldedValues = foldedValues;
        NumericProfile latency = p.latency();
        r.latencyCount = latency.count();
        r.latencyMeanMs = latency.mean();
        r.latencyP50Ms = latency.quantile(0.50);
        r.latencyP90Ms = latency.quantile(0.90);
        r.latencyP95Ms = latency.quantile(0.95);
        r.latencyP99Ms = latency.quantile(0.99);
        r.latencyMaxMs = latency.max();
        r.latencySketch = latency.sketch() == null ? null : latency.sketch().toByteArray();
        NumericProfile score = p.score();
        r.scoreCount = score.count();
        r.scoreMean = score.mean();
        r.scoreP05 = score.quantile(0.05);
        r.scoreP25 = score.quantile(0.25);
        r.scoreP50 = score.quantile(0.50);
        r.scoreP75 = score.quantile(0.75);
        r.scoreP95 = score.quantile(0.95);
        r.scoreSketch = score.sketch() == null ? null : score.sketch().toByteArray();
        r.labelCounts = json(p.labels());
        return r;
    }

    public static List<FeatureStatsRow> featureStats(WindowKey key, String segment, SegmentProfile p, ModelSpec model) {
        List<FeatureStatsRow> rows = new ArrayList<>();
        for (int i = 0; i < model.numericFeatures().size(); i++) {
            NumericProfile n = p.numeric(i);
            FeatureStatsRow r = header(key, segment, model.numericFeatures().get(i).name(), "numeric");
            r.count = n.count();
            r.missing = n.missing();
            r.typeMismatch = n.typeMismatch();
            r.nanOrInfinite = n.nanOrInfinite();
            r.outOfRange = n.outOfRange();
            r.min = n.min();
            r.max = n.max();
            r.mean = n.mean();
            r.p01 = n.quantile(0.01);
            r.p05 = n.quantile(0.05);
            r.p25 = n.quantile(0.25);
            r.p50 = n.quantile(0.50);
            r.p75 = n.quantile(0.75);
            r.p95 = n.quantile(0.95);
            r.p99 = n.quantile(0.99);
            rows.add(r);
        }
        for (int j = 0; j < model.categoricalFeatures().size(); j++) {
            CategoricalProfile c = p.categorical(j);
            FeatureStatsRow r = header(key, segment, model.categoricalFeatures().get(j).name(), "categorical");
            r.count = c.count();
            r.missing = c.missing();
            r.typeMismatch = c.typeMismatch();
            r.unexpected = c.unexpected();
            r.unexpectedShare = c.unexpectedShare();
            r.distinctEstimate = c.distinctEstimate();
            List<Map<String, Object>> top = new ArrayList<>();
            for (CategoricalProfile.ValueCount v : c.topValues(TOP_VALUES)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("value", v.value());
                entry.put("count", v.count());
                top.add(entry);
            }
            r.topValues = json(top);
            rows.add(r);
        }
        return rows;
    }

    private static FeatureStatsRow header(WindowKey key, String segment, String feature, String type) {
        FeatureStatsRow r = new FeatureStatsRow();
        r.model = key.model;
        r.modelVersion = key.modelVersion;
        r.segment = segment;
        r.windowStart = key.windowStart;
        r.windowEnd = key.windowEnd;
        r.feature = feature;
        r.featureType = type;
        return r;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
