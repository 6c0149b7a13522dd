package dev.vigil.testing;

import static dev.vigil.profile.QuantileChecks.assertQuantileWithinRankErrorSorted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.profile.NumericProfile;
import dev.vigil.testing.ExpectedProfiles.RowKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;

/**
 * Compares what the job stored with the exact profile of the input: every count exactly, every
 * mean to floating-point precision, every quantile within KLL's rank error.
 */
public final class ProfileAssertions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RANK_ERROR = NumericProfile.rankError();

    private ProfileAssertions() {}

    public static void assertStoredProfilesMatch(DataSource db, Map<RowKey, List<TestTraffic.Event>> expected) throws Exception {
        Map<RowKey, Map<String, Object>> stats = StoredProfiles.windowStats(db);
        Map<RowKey, Map<String, Map<String, Object>>> features = StoredProfiles.featureStats(db);
        assertThat(stats.keySet()).as("stored window_stats keys").containsExactlyInAnyOrderElementsOf(expected.keySet());
        SoftAssertions soft = new SoftAssertions();
        expected.forEach((key, events) -> {
            Map<String, Object> row = stats.get(key);
            String at = key.toString();
            soft.assertThat(row.get("events")).as(at + " events").isEqualTo((long) events.size());
            soft.assertThat(row.get("errors")).as(at + " errors").isEqualTo(events.stream().filter(TestTraffic.Event::error).count());
            soft.assertThat(row.get("fallbacks")).as(at + " fallbacks").isEqualTo(events.stream().filter(TestTraffic.Event::fallback).count());
            soft.assertThat(row.get("late_events_dropped")).as(at + " late").isEqualTo(0L);
            numeric(soft, at + " latency", events, TestTraffic.Event::latencyMs, row, "latency_count", "latency_mean_ms",
                    Map.of(0.5, "latency_p50_ms", 0.9, "latency_p90_ms", 0.99, "latency_p99_ms"));
            Function<TestTraffic.Event, Double> output = e -> e.score() != null ? e.score() : e.value();
            numeric(soft, at + " score", events, output, row, "score_count", "score_mean",
                    Map.of(0.05, "score_p05", 0.5, "score_p50", 0.95, "score_p95"));
            Map<String, Long> labels = events.stream().filter(e -> e.label() != null)
                    .collect(Collectors.groupingBy(TestTraffic.Event::label, Collectors.counting()));
            soft.assertThat(jsonCounts((String) row.get("label_counts"))).as(at + " labels").isEqualTo(labels);

            Map<String, Map<String, Object>> f = features.get(key);
            soft.assertThat(f).as(at + " feature rows").isNotNull();
            if (f == null) return;
            if (key.model().equals("scorer")) {
                numericFeature(soft, at + " amount", events, TestTraffic.Event::amount, f.get("amount"), 0, 1000);
                numericFeature(soft, at + " age", events, TestTraffic.Event::age, f.get("age"), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
                categoricalFeature(soft, at + " merchant", events, f.get("merchant"), List.of("food", "travel", "tech"));
            } else {
                numericFeature(soft, at + " size", events, TestTraffic.Event::size, f.get("size"), 10, 500);
            }
        });
        soft.assertAll();
    }

    private static void numeric(SoftAssertions soft, String at, List<TestTraffic.Event> events, Function<TestTraffic.Event, Double> value,
                                Map<String, Object> row, String countColumn, String meanColumn, Map<Double, String> quantiles) {
        double[] values = events.stream().map(value).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
        soft.assertThat(row.get(countColumn)).as(at + " count").isEqualTo((long) values.length);
        if (values.length == 0) {
            soft.assertThat(row.get(meanColumn)).as(at + " mean").isNull();
            return;
        }
        soft.assertThat((Double) row.get(meanColumn)).as(at + " mean").isCloseTo(Arrays.stream(values).sum() / values.length, within(1e-9 * (1 + Math.abs(values[values.length / 2]))));
        quantiles.forEach((rank, column) -> soft.check(() ->
                assertQuantileWithinRankErrorSorted(values, rank, (Double) row.get(column), RANK_ERROR)));
    }

    private static void numericFeature(SoftAssertions soft, String at, List<TestTraffic.Event> events, Function<TestTraffic.Event, Object> value,
                                       Map<String, Object> row, double min, double max) {
        soft.assertThat(row).as(at).isNotNull();
        if (row == null) return;
        double[] values = events.stream().map(value).filter(v -> v instanceof Double).mapToDouble(v -> (Double) v).sorted().toArray();
        long missing = events.stream().map(value).filter(Objects::isNull).count();
        long mismatch = events.stream().map(value).filter(v -> v instanceof String).count();
        long outOfRange = Arrays.stream(values).filter(v -> v < min || v > max).count();
        soft.assertThat(row.get("count")).as(at + " count").isEqualTo((long) values.length);
        soft.assertThat(row.get("missing")).as(at + " missing").isEqualTo(missing);
        soft.assertThat(row.get("type_mismatch")).as(at + " type mismatch").isEqualTo(mismatch);
        soft.assertThat(row.get("out_of_range")).as(at + " out of range").isEqualTo(outOfRange);
        if (values.length == 0) return;
        soft.assertThat(row.get("min")).as(at + " min").isEqualTo(values[0]);
        soft.assertThat(row.get("max")).as(at + " max").isEqualTo(values[values.length - 1]);
        soft.assertThat((Double) row.get("mean")).as(at + " mean").isCloseTo(Arrays.stream(values).sum() / values.length, within(1e-9 * (1 + Math.abs(values[values.length - 1]))));
        Map.of(0.01, "p01", 0.05, "p05", 0.25, "p25", 0.5, "p50", 0.75, "p75", 0.95, "p95", 0.99, "p99").forEach((rank, column) ->
                soft.check(() -> assertQuantileWithinRankErrorSorted(values, rank, (Double) row.get(column), RANK_ERROR)));
    }

    private static void categoricalFeature(SoftAssertions soft, String at, List<TestTraffic.Event> events, Map<String, Object> row, List<String> expected) {
        soft.assertThat(row).as(at).isNotNull();
        if (row == null) return;
        Map<String, Long> counts = new HashMap<>();
        events.stream().map(TestTraffic.Event::merchant).filter(Objects::nonNull).forEach(m -> counts.merge(m, 1L, Long::sum));
        long present = counts.values().stream().mapToLong(Long::longValue).sum();
        long unexpected = counts.entrySet().stream().filter(e -> !expected.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        soft.assertThat(row.get("count")).as(at + " count").isEqualTo(present);
        soft.assertThat(row.get("missing")).as(at + " missing").isEqualTo(events.size() - present);
        soft.assertThat(row.get("unexpected")).as(at + " unexpected").isEqualTo(unexpected);
        soft.assertThat((Double) row.get("distinct_estimate")).as(at + " distinct").isCloseTo(counts.size(), within(0.5));
        Map<String, Long> top = new HashMap<>();
        for (JsonNode n : readJson((String) row.get("top_values"))) top.put(n.get("value").asText(), n.get("count").asLong());
        soft.assertThat(top).as(at + " top values").isEqualTo(counts);
    }

    private static Map<String, Long> jsonCounts(String json) {
        Map<String, Long> out = new HashMap<>();
        readJson(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
