package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every good event follows docs/inference-event.md and matches the demo monitor spec. */
class EventContractTest {

    private static GeneratorConfig config;
    private static List<GeneratedRecord> records;
    private static GenerationStats stats;

    @BeforeAll
    static void generate() {
        config = TestSupport.config(Duration.ofHours(2)).build();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.empty());
        records = g.stream().toList();
        stats = g.stats();
    }

    @Test
    void everyEventConformsToTheContractAndTheSpec() {
        Set<String> models = new HashSet<>();
        for (JsonNode m : TestSupport.spec().get("models")) {
            models.add(m.get("name").asText());
        }
        assertThat(models).containsExactlyInAnyOrderElementsOf(DemoModels.names());

        Map<String, Long> events = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        Map<String, Long> fallbacks = new HashMap<>();
        Map<String, Long> missing = new HashMap<>();
        Map<String, Long> outOfRange = new HashMap<>();
        Set<String> requestIds = new HashSet<>();
        long start = config.start().toEpochMilli();
        long end = config.end().toEpochMilli();

        for (GeneratedRecord r : records) {
            check(!r.bad(), "no bad records by default", r);
            check(r.payload().length < 65_536, "small payload", r);
            check(r.payloadAsString().indexOf('\n') < 0, "no newline", r);
            JsonNode e = TestSupport.parse(r);
            check(e.isObject(), "one JSON object", r);

            // required fields and types
            check(e.path("model").isTextual(), "model is a string", r);
            String model = e.get("model").asText();
            check(models.contains(model), "model is in the spec", r);
            check(model.equals(r.model()), "record model matches the payload", r);
            check(e.path("model_version").isTextual() && e.get("model_version").asText().equals(DemoModels.version(model)),
                    "model_version", r);
            JsonNode ts = e.get("timestamp");
            check(ts != null && (ts.isTextual() || ts.isIntegralNumber()), "timestamp is ISO text or epoch millis", r);
            if (ts.isTextual()) {
                OffsetDateTime.parse(ts.asText()); // ISO-8601 with offset
            }
            long t = TestSupport.timestampMillis(e);
            check(t == r.eventTimeMillis() && t >= start && t < end, "timestamp inside the run and equal to the record's", r);
            check(e.path("request_id").isTextual(), "request_id is a string", r);
            check(e.get("request_id").asText().equals(r.requestId()), "record request id matches", r);
            check(requestIds.add(r.requestId()), "request id is unique", r);
            String status = e.path("status").asText();
            check(status.equals("ok") || status.equals("error"), "status", r);

            // segments: exactly the spec's dimensions, values in the declared lists
            JsonNode specModel = TestSupport.specModel(model);
            JsonNode segs = e.get("segments");
            check(names(segs).equals(TestSupport.specSegmentNames(model)), "segment names are the spec's", r);
            for (JsonNode sd : specModel.get("segments")) {
                JsonNode v = segs.get(sd.get("name").asText());
                check(v.isTextual(), "segment values are strings", r);
                check(!sd.has("values") || TestSupport.texts(sd.get("values")).contains(v.asText()),
                        "segment value is declared", r);
            }

            // features: the spec's features only; declared types; categories and ranges
            Map<String, JsonNode> specFeatures = TestSupport.specFeatures(model);
            JsonNode fs = e.get("features");
            check(specFeatures.keySet().containsAll(names(fs)), "feature names are the spec's", r);
            for (Map.Entry<String, JsonNode> sf : specFeatures.entrySet()) {
                JsonNode v = fs.get(sf.getKey());
                if (v == null || v.isNull()) {
                    missing.merge(model, 1L, Long::sum);
                    continue;
                }
                if (sf.getValue().get("type").asText().equals("numeric")) {
                    check(v.isNumber(), "numeric feature " + sf.getKey() + " is a number", r);
                    JsonNode range = sf.getValue().get("range");
                    double d = v.asDouble();
                    if (d < range.get(0).asDouble() || d > range.get(1).asDouble()) {
                        outOfRange.merge(model, 1L, Long::sum);
                    }
                } else {
                    check(v.isTextual() || v.isBoolean(), "categorical feature is a string or boolean", r);
                    check(TestSupport.texts(sf.getValue().get("categories")).contains(v.asText()),
                            "category of " + sf.getKey() + " is declared", r);
                }
            }

            // prediction, latency, error fields
            JsonNode latency = e.get("latency_ms");
            check(latency != null && latency.isNumber() && latency.asDouble() >= 0, "latency_ms >= 0", r);
            String servedBy = e.path("served_by").asText();
            check(servedBy.equals("model") || servedBy.equals("fallback"), "served_by", r);
            events.merge(model, 1L, Long::sum);
            if (servedBy.equals("fallback")) {
                fallbacks.merge(model, 1L, Long::sum);
            }
            if (status.equals("error")) {
                errors.merge(model, 1L, Long::sum);
                check(!e.has("prediction"), "errors have no prediction", r);
                check(TestSupport.ERROR_CODES.contains(e.path("error_code").asText()), "error_code", r);
                check(servedBy.equals("model"), "errors are not served by the fallback", r);
            } else {
                check(e.get("error_code").isNull(), "error_code is null when ok", r);
                JsonNode p = e.get("prediction");
                check(p != null && p.isObject(), "ok events have a prediction", r);
                if (specModel.get("task").asText().equals("regression")) {
                    check(names(p).equals(List.of("value")) && p.get("value").isNumber(), "regression value", r);
                    JsonNode range = specModel.get("prediction").get("value-range");
                    double v = p.get("value").asDouble();
                    check(v >= range.get(0).asDouble() && v <= range.get(1).asDouble(), "value in range", r);
                } else {
                    check(names(p).equals(List.of("score", "label")) && p.get("score").isNumber(), "score and label", r);
                    double score = p.get("score").asDouble();
                    check(score >= 0 && score <= 1, "score in [0, 1]", r);
                    check(TestSupport.texts(specModel.get("prediction").get("labels")).contains(p.get("label").asText()),
                            "label is declared", r);
                    if (model.equals(DemoModels.FRAUD_SCORER)) {
                        check(p.get("label").asText().equals(score >= 0.5 ? "fraud" : "legit"), "threshold 0.5", r);
                    }
                }
            }
        }

        // the statistics match exactly what was emitted
        for (String m : DemoModels.names()) {
            assertThat(stats.events(m)).as("events of %s", m).isEqualTo(events.getOrDefault(m, 0L));
            assertThat(stats.errors(m)).as("errors of %s", m).isEqualTo(errors.getOrDefault(m, 0L));
            assertThat(stats.fallbacksByModel().get(m)).isEqualTo(fallbacks.getOrDefault(m, 0L));
            assertThat(stats.missingValuesByModel().get(m)).isEqualTo(missing.getOrDefault(m, 0L));
            assertThat(stats.outOfRangeByModel().get(m)).isEqualTo(outOfRange.getOrDefault(m, 0L));
        }
        assertThat(stats.records()).isEqualTo(records.size());
        assertThat(stats.badRecords()).isZero();
    }

    @Test
    void ratesAreRealistic() {
        long total = stats.events();
        assertThat(total).isGreaterThan(100_000);
        double fraudShare = stats.events(DemoModels.FRAUD_SCORER) / (double) total;
        assertThat(fraudShare).isBetween(0.57, 0.63);

        long errors = stats.errorsByModel().values().stream().mapToLong(Long::longValue).sum();
        assertThat(errors / (double) total).isBetween(0.004, 0.006);
        long fallbacks = stats.fallbacksByModel().values().stream().mapToLong(Long::longValue).sum();
        assertThat(fallbacks / (double) total).isBetween(0.008, 0.012);

        long values = 0;
        for (String m : DemoModels.names()) {
            values += stats.events(m) * DemoModels.featureNames(m).size();
        }
        long missing = stats.missingValuesByModel().values().stream().mapToLong(Long::longValue).sum();
        assertThat(missing / (double) values).isBetween(0.008, 0.012);
        long outOfRange = stats.outOfRangeByModel().values().stream().mapToLong(Long::longValue).sum();
        assertThat(outOfRange).isPositive();
        assertThat(outOfRange / (double) total).isBetween(0.0002, 0.001);

        // fraud-scorer labels 1-2% of what the model itself answers as fraud
        long answered = 0;
        long fraud = 0;
        Map<String, Integer> routerLabels = new HashMap<>();
        for (GeneratedRecord r : records) {
            JsonNode e = TestSupport.parse(r);
            if (!e.has("prediction") || !e.get("served_by").asText().equals("model")) {
                continue;
            }
            if (r.model().equals(DemoModels.FRAUD_SCORER)) {
                answered++;
                if (e.get("prediction").get("label").asText().equals("fraud")) {
                    fraud++;
                }
            } else if (r.model().equals(DemoModels.TICKET_ROUTER)) {
                routerLabels.merge(e.get("prediction").get("label").asText(), 1, Integer::sum);
            }
        }
        assertThat(fraud / (double) answered).isBetween(0.01, 0.02);
        assertThat(routerLabels.keySet()).containsExactlyInAnyOrder("billing", "technical", "account", "fraud_report", "other");
    }

    @Test
    void aSmallShareArrivesOutOfOrderByAFewSeconds() {
        long max = Long.MIN_VALUE;
        long late = 0;
        long maxLag = 0;
        for (GeneratedRecord r : records) {
            if (r.eventTimeMillis() < max) {
                late++;
                maxLag = Math.max(maxLag, max - r.eventTimeMillis());
            }
            max = Math.max(max, r.eventTimeMillis());
        }
        assertThat(late).isEqualTo(stats.outOfOrder());
        assertThat(late / (double) records.size()).isBetween(0.003, 0.006);
        assertThat(maxLag).isLessThanOrEqualTo(config.maxOutOfOrderDelay().toMillis()).isGreaterThan(1000);
    }

    @Test
    void noOutOfOrderWhenDisabled() {
        GeneratorConfig c = TestSupport.config(Duration.ofMinutes(20)).outOfOrderRate(0).build();
        long prev = Long.MIN_VALUE;
        for (GeneratedRecord r : TrafficGenerator.generateAll(c, Scenario.empty())) {
            assertThat(r.eventTimeMillis()).isGreaterThanOrEqualTo(prev);
            prev = r.eventTimeMillis();
        }
    }

    @Test
    void segmentsHaveDifferentFeatureDistributions() {
        Map<String, double[]> amountByCountry = new HashMap<>();
        Map<String, Map<String, Integer>> deviceByChannel = new HashMap<>();
        for (GeneratedRecord r : records) {
            if (!r.model().equals(DemoModels.FRAUD_SCORER)) {
                continue;
            }
            JsonNode e = TestSupport.parse(r);
            String country = e.get("segments").get("country").asText();
            String channel = e.get("segments").get("channel").asText();
            JsonNode amount = e.get("features").get("amount");
            if (amount != null && amount.isNumber() && amount.asDouble() >= 0 && amount.asDouble() < 20000) {
                double[] acc = amountByCountry.computeIfAbsent(country, k -> new double[2]);
                acc[0] += Math.log(amount.asDouble());
                acc[1]++;
            }
            deviceByChannel.computeIfAbsent(channel, k -> new HashMap<>())
                    .merge(e.get("segments").get("device").asText(), 1, Integer::sum);
        }
        double us = Math.exp(amountByCountry.get("US")[0] / amountByCountry.get("US")[1]);
        double in = Math.exp(amountByCountry.get("IN")[0] / amountByCountry.get("IN")[1]);
        assertThat(us / in).isGreaterThan(2.5);
        assertThat(deviceByChannel.get("pos").keySet()).containsExactly("terminal");
        assertThat(deviceByChannel.get("app").keySet()).containsExactlyInAnyOrder("ios", "android");
        assertThat(deviceByChannel.get("web")).containsKeys("windows", "macos");
        // more distinct countries than the spec's max-values, so "other" folding happens
        assertThat(amountByCountry.size()).isGreaterThan(8);
    }

    private static void check(boolean condition, String what, GeneratedRecord r) {
        if (!condition) {
            throw new AssertionError(what + ": " + r);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
