package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Feedback events: the contract's shape, their timing relative to the predictions, the action mix
 * and ground truth each model's behaviour promises, and the two incidents that show only in
 * feedback (override_rise, concept_drift).
 */
class FeedbackTest {

    private static final Set<String> ACTIONS = Set.of("accepted", "overridden", "ignored", "escalated");
    private static final Duration RUN = Duration.ofHours(3);

    /** One run, parsed: predictions by request id, feedback in emission order. */
    record Run(List<GeneratedRecord> records, Map<String, JsonNode> predictions, Map<String, Integer> predictionIndex,
               List<Feedback> feedback, GenerationStats stats) {}

    record Feedback(int index, GeneratedRecord record, JsonNode json) {
        String requestId() {
            return json.get("request_id").asText();
        }

        String model() {
            return json.get("model").asText();
        }

        long time() {
            return TestSupport.timestampMillis(json);
        }

        boolean isAction() {
            return json.has("action");
        }

        boolean isLabel() {
            return !isAction();
        }
    }

    private static Run run(GeneratorConfig config, Scenario scenario) {
        TrafficGenerator g = new TrafficGenerator(config, scenario);
        List<GeneratedRecord> records = g.stream().toList();
        Map<String, JsonNode> predictions = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            GeneratedRecord r = records.get(i);
            if (r.feedback()) {
                feedback.add(new Feedback(i, r, TestSupport.parse(r)));
            } else if (!r.bad()) {
                JsonNode e = TestSupport.parse(r);
                predictions.put(e.get("request_id").asText(), e);
                index.put(e.get("request_id").asText(), i);
            }
        }
        return new Run(records, predictions, index, feedback, g.stats());
    }

    private static GeneratorConfig.Builder config() {
        return TestSupport.config(RUN).rateMultiplier(0.15).feedback(true);
    }

    @Test
    void everyFeedbackEventFollowsTheContractAndNamesAnEmittedPrediction() {
        Run run = run(config().badRecordRate(0.01).build(), Scenario.empty());
        assertThat(run.feedback()).hasSizeGreaterThan(10_000);
        for (Feedback f : run.feedback()) {
            JsonNode j = f.json();
            assertThat(f.record().bad()).isFalse();
            JsonNode prediction = run.predictions().get(f.requestId());
            assertThat(prediction).as("prediction of %s", f.record()).isNotNull();
            assertThat(prediction.get("status").asText()).isEqualTo("ok");
            assertThat(f.model()).isEqualTo(prediction.get("model").asText()).isEqualTo(f.record().model());
            assertThat(f.requestId()).isEqualTo(f.record().requestId());
            assertThat(j.get("model_version").asText()).isEqualTo(DemoModels.version(f.model()));
            // the timestamp has the same form as the model's inference events
            assertThat(j.get("timestamp").isIntegralNumber()).isEqualTo(prediction.get("timestamp").isIntegralNumber());
            assertThat(f.time()).isEqualTo(f.record().eventTimeMillis());
            Set<String> fields = new java.util.HashSet<>();
            j.fieldNames().forEachRemaining(fields::add);
            if (f.isAction()) {
                assertThat(fields).containsExactlyInAnyOrder("request_id", "model", "timestamp", "action", "model_version");
                assertThat(ACTIONS).contains(j.get("action").asText());
            } else if (f.model().equals(DemoModels.PRICE_ESTIMATOR)) {
                assertThat(fields).containsExactlyInAnyOrder("request_id", "model", "timestamp", "value", "model_version");
                assertThat(j.get("value").isNumber()).isTrue();
                assertThat(j.get("value").asDouble()).isPositive();
            } else {
                assertThat(fields).containsExactlyInAnyOrder("request_id", "model", "timestamp", "label", "model_version");
                assertThat(TestSupport.texts(TestSupport.specModel(f.model()).get("prediction").get("labels")))
                        .contains(j.get("label").asText());
            }
        }
        // errors have no prediction, so no feedback; bad records never get any
        Set<String> withFeedback = new java.util.HashSet<>();
        run.feedback().forEach(f -> withFeedback.add(f.requestId()));
        run.predictions().forEach((id, e) -> {
            if (!e.get("status").asText().equals("ok")) {
                assertThat(withFeedback).doesNotContain(id);
            }
        });
    }

    @Test
    void feedbackComesInTimeOrderAfterItsPredictionExceptEarlyLabels() {
        GeneratorConfig cfg = config().build();
        Run run = run(cfg, Scenario.empty());
        long end = cfg.end().toEpochMilli();
        long early = 0;
        Map<String, Integer> actions = new HashMap<>();
        Map<String, Integer> labels = new HashMap<>();
        long latestFeedback = Long.MIN_VALUE;
        long maxDisorder = 0;
        for (Feedback f : run.feedback()) {
            assertThat(f.time()).isLessThan(end);
            long predictionTime = run.records().get(run.predictionIndex().get(f.requestId())).eventTimeMillis();
            int predictionAt = run.predictionIndex().get(f.requestId());
            if (f.time() < predictionTime) {
                assertThat(f.isLabel()).isTrue();
                assertThat(f.model()).isEqualTo(DemoModels.FRAUD_SCORER);
                assertThat(predictionTime - f.time()).isBetween(200L, 10_000L);
                assertThat(f.index()).isLessThan(predictionAt);
                early++;
            } else {
                assertThat(f.index()).as("feedback after its prediction").isGreaterThan(predictionAt);
                assertThat(f.time() - predictionTime).isGreaterThanOrEqualTo(f.isAction() ? 500L : 1000L);
            }
            (f.isAction() ? actions : labels).merge(f.requestId(), 1, Integer::sum);
            if (latestFeedback != Long.MIN_VALUE) {
                maxDisorder = Math.max(maxDisorder, latestFeedback - f.time());
            }
            latestFeedback = Math.max(latestFeedback, f.time());
        }
        // at most one action and one label per prediction
        assertThat(actions.values()).containsOnly(1);
        assertThat(labels.values()).containsOnly(1);
        // feedback is in time order but for predictions logged late and early labels
        assertThat(maxDisorder).isLessThanOrEqualTo(cfg.maxOutOfOrderDelay().toMillis() + 10_000);
        assertThat(run.stats().labelsBeforePrediction().get(DemoModels.FRAUD_SCORER)).isEqualTo(early);
        long fraudLabels = run.stats().feedback(DemoModels.FRAUD_SCORER, GenerationStats.LABEL);
        assertThat((double) early / fraudLabels).isCloseTo(0.02, within(0.005));
    }

    @Test
    void statisticsCountEveryFeedbackEventByModelAndType() {
        Run run = run(config().build(), Scenario.empty());
        Map<String, Map<String, Long>> counted = new TreeMap<>();
        for (Feedback f : run.feedback()) {
            String type = f.isAction() ? f.json().get("action").asText() : GenerationStats.LABEL;
            counted.computeIfAbsent(f.model(), m -> new TreeMap<>()).merge(type, 1L, Long::sum);
        }
        Map<String, Map<String, Long>> stats = new TreeMap<>();
        run.stats().feedbackByModel().forEach((m, byType) -> {
            Map<String, Long> nonZero = new TreeMap<>();
            byType.forEach((t, n) -> {
                if (n > 0) {
                    nonZero.put(t, n);
                }
            });
            stats.put(m, nonZero);
        });
        assertThat(stats).isEqualTo(counted);
        assertThat(run.stats().feedbackEvents()).isEqualTo(run.feedback().size());
        assertThat(run.stats().records()).isEqualTo(run.records().size() - run.feedback().size());
        assertThat(run.stats().summary()).contains("feedback", "overridden", "labels");
    }

    @Test
    void actionMixAndGroundTruthFollowEachModelsBehaviour() {
        GeneratorConfig cfg = config().build();
        Run run = run(cfg, Scenario.empty());
        // predictions early enough that nearly all their feedback is due before the end
        long cut = cfg.start().toEpochMilli() + Duration.ofMinutes(60).toMillis();
        long end = cfg.end().toEpochMilli();
        Map<String, long[]> ok = new HashMap<>();
        // labels due after the end are not emitted: the expected label count is, per prediction, the
        // label share times the probability that its lognormal delay ends before the end
        Map<String, double[]> labelDelay = Map.of(
                DemoModels.FRAUD_SCORER, new double[] {0.9, 1200, 1.0, 0.02},
                DemoModels.TICKET_ROUTER, new double[] {0.75, 2700, 0.9, 0},
                DemoModels.PRICE_ESTIMATOR, new double[] {0.35, 10_800, 0.8, 0});
        Map<String, double[]> expectedLabels = new HashMap<>();
        run.predictions().forEach((id, e) -> {
            long t = TestSupport.timestampMillis(e);
            if (e.get("status").asText().equals("ok") && t < cut) {
                String model = e.get("model").asText();
                ok.computeIfAbsent(model, m -> new long[1])[0]++;
                double[] d = labelDelay.get(model);
                double due = normalCdf(Math.log((end - t) / 1000.0 / d[1]) / d[2]);
                expectedLabels.computeIfAbsent(model, m -> new double[1])[0] += d[0] * (d[3] + (1 - d[3]) * due);
            }
        });
        Map<String, Map<String, Long>> early = new HashMap<>();
        List<Double> fraudDelays = new ArrayList<>();
        double fraudScoreSum = 0;
        long fraudPositives = 0;
        long fraudLabels = 0;
        long routerCorrect = 0;
        long routerLabels = 0;
        List<Double> priceLogRatio = new ArrayList<>();
        for (Feedback f : run.feedback()) {
            JsonNode p = run.predictions().get(f.requestId());
            if (TestSupport.timestampMillis(p) >= cut) {
                continue;
            }
            String type = f.isAction() ? f.json().get("action").asText() : GenerationStats.LABEL;
            early.computeIfAbsent(f.model(), m -> new HashMap<>()).merge(type, 1L, Long::sum);
            if (f.isLabel() && f.model().equals(DemoModels.FRAUD_SCORER)) {
                fraudDelays.add((f.time() - TestSupport.timestampMillis(p)) / 60_000.0);
                if (p.get("served_by").asText().equals("model")) {
                    fraudLabels++;
                    fraudScoreSum += p.get("prediction").get("score").asDouble();
                    fraudPositives += f.json().get("label").asText().equals("fraud") ? 1 : 0;
                }
            } else if (f.isLabel() && f.model().equals(DemoModels.TICKET_ROUTER) && p.get("served_by").asText().equals("model")) {
                routerLabels++;
                routerCorrect += f.json().get("label").asText().equals(p.get("prediction").get("label").asText()) ? 1 : 0;
            } else if (f.isLabel() && f.model().equals(DemoModels.PRICE_ESTIMATOR) && p.get("served_by").asText().equals("model")) {
                double v = p.get("prediction").get("value").asDouble();
                if (v > 1_000 && v < 4_999_999) {
                    priceLogRatio.add(Math.log(f.json().get("value").asDouble() / v));
                }
            }
        }
        Map<String, double[]> expectedMix = Map.of(
                DemoModels.FRAUD_SCORER, new double[] {1.0, 0.85, 0.05, 0.08, 0.02, 0.9},
                DemoModels.TICKET_ROUTER, new double[] {1.0, 0.84, 0.07, 0.07, 0.02, 0.75},
                DemoModels.PRICE_ESTIMATOR, new double[] {0.6, 0.78, 0.10, 0.11, 0.01, 0.35});
        expectedMix.forEach((model, mix) -> {
            long n = ok.get(model)[0];
            Map<String, Long> got = early.get(model);
            long actions = got.entrySet().stream().filter(e -> ACTIONS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            assertThat((double) actions / n).as(model + " action share").isCloseTo(mix[0], within(0.02));
            String[] names = {"accepted", "overridden", "ignored", "escalated"};
            for (int a = 0; a < names.length; a++) {
                double p = mix[a + 1];
                assertThat((double) got.getOrDefault(names[a], 0L) / actions).as(model + " " + names[a])
                        .isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / actions)));
            }
            double expected = expectedLabels.get(model)[0];
            assertThat((double) got.getOrDefault(GenerationStats.LABEL, 0L)).as(model + " labels")
                    .isCloseTo(expected, within(4 * Math.sqrt(expected)));
            assertThat(expected / n).isLessThanOrEqualTo(mix[5]);
        });
        // fraud-scorer: calibrated (P(fraud) = score), labels about 20 minutes after the prediction
        assertThat(fraudPositives).isPositive();
        double expectedPositives = fraudScoreSum;
        assertThat((double) fraudPositives).isCloseTo(expectedPositives, within(4 * Math.sqrt(expectedPositives) + 1));
        fraudDelays.sort(null);
        assertThat(fraudDelays.get(fraudDelays.size() / 2)).isBetween(17.0, 23.0);
        assertThat(fraudDelays.get(fraudDelays.size() * 99 / 100)).isGreaterThan(90.0);
        // ticket-router: the true queue is the predicted one most of the time
        assertThat((double) routerCorrect / routerLabels).isBetween(0.75, 0.97);
        // price-estimator: the sale price scatters about 10% around the estimate
        double mean = priceLogRatio.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(priceLogRatio.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / priceLogRatio.size());
        assertThat(priceLogRatio).hasSizeGreaterThan(100);
        assertThat(mean).isCloseTo(0.0, within(0.04));
        assertThat(sd).isCloseTo(0.1, within(0.025));
    }

    @Test
    void feedbackIsDeterministicAndLeavesInferenceEventsUnchanged() throws IOException {
        GeneratorConfig with = config().badRecordRate(0.005).build();
        GeneratorConfig without = with.toBuilder().feedback(false).build();
        List<GeneratedRecord> a = TrafficGenerator.generateAll(with, Scenario.demo());
        List<GeneratedRecord> b = TrafficGenerator.generateAll(with, Scenario.demo());
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).payload()).isEqualTo(b.get(i).payload());
        }
        List<GeneratedRecord> inferenceOnly = TrafficGenerator.generateAll(without, Scenario.demo());
        List<GeneratedRecord> inferenceOfA = a.stream().filter(r -> !r.feedback()).toList();
        assertThat(inferenceOfA).hasSameSizeAs(inferenceOnly);
        for (int i = 0; i < inferenceOnly.size(); i++) {
            assertThat(inferenceOfA.get(i).payload()).isEqualTo(inferenceOnly.get(i).payload());
        }
        assertThat(inferenceOnly).noneMatch(GeneratedRecord::feedback);

        // JSON lines: inference and feedback go to their own streams
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        ByteArrayOutputStream feedback = new ByteArrayOutputStream();
        new TrafficGenerator(with, Scenario.demo()).writeJsonLines(events, feedback);
        assertThat(events.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(inferenceOfA.size());
        List<String> feedbackLines = feedback.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> expected = a.stream().filter(GeneratedRecord::feedback).map(GeneratedRecord::payloadAsString).toList();
        assertThat(feedbackLines).isEqualTo(expected);
    }

    /** Feedback of predictions outside {@code scope} is byte-identical to the run without the incident. */
    private static void assertFeedbackUnchangedOutside(Run base, Run changed, Predicate<JsonNode> scope) {
        Map<String, String> baseline = new HashMap<>();
        for (Feedback f : base.feedback()) {
            baseline.put(f.requestId() + (f.isAction() ? "/action" : "/label"), f.record().payloadAsString());
        }
        long outside = 0;
        for (Feedback f : changed.feedback()) {
            if (!scope.test(changed.predictions().get(f.requestId()))) {
                outside++;
                assertThat(f.record().payloadAsString())
                        .isEqualTo(baseline.get(f.requestId() + (f.isAction() ? "/action" : "/label")));
            }
        }
        long baseOutside = base.feedback().stream().filter(f -> !scope.test(base.predictions().get(f.requestId()))).count();
        assertThat(outside).isEqualTo(baseOutside).isPositive();
    }

    private static Predicate<JsonNode> during(GeneratorConfig cfg, Incident inc, String dim, String value) {
        long t0 = cfg.start().plus(inc.start()).toEpochMilli();
        long t1 = cfg.start().plus(inc.end()).toEpochMilli();
        return e -> {
            long t = TestSupport.timestampMillis(e);
            return t >= t0 && t < t1 && (dim == null || e.get("segments").get(dim).asText().equals(value));
        };
    }

    @Test
    void overrideRiseSetsTheOverrideRateInItsSegmentOnly() {
        GeneratorConfig cfg = config().models(DemoModels.TICKET_ROUTER).rateMultiplier(0.8).build();
        Incident inc = new Incident(null, IncidentKind.OVERRIDE_RISE, DemoModels.TICKET_ROUTER,
                SegmentSelector.parse("channel=chat"), null, Duration.ofMinutes(30), Duration.ofMinutes(60), 0.3, null);
        Run base = run(cfg, Scenario.empty());
        Run changed = run(cfg, Scenario.of(inc));
        Predicate<JsonNode> scope = during(cfg, inc, "channel", "chat");
        assertFeedbackUnchangedOutside(base, changed, scope);
        assertThat(changed.records().stream().filter(r -> !r.feedback()).map(GeneratedRecord::payloadAsString).toList())
                .isEqualTo(base.records().stream().filter(r -> !r.feedback()).map(GeneratedRecord::payloadAsString).toList());

        Map<String, Long> inScope = new LinkedHashMap<>();
        for (Feedback f : changed.feedback()) {
            if (f.isAction() && scope.test(changed.predictions().get(f.requestId()))) {
                inScope.merge(f.json().get("action").asText(), 1L, Long::sum);
            }
        }
        long actions = inScope.values().stream().mapToLong(Long::longValue).sum();
        assertThat(actions).isGreaterThan(3_000);
        assertThat((double) inScope.get("overridden") / actions).isCloseTo(0.3, within(0.025));
        // the other actions keep their relative weights: accepted : ignored : escalated = 84 : 7 : 2
        double rest = actions - inScope.get("overridden");
        assertThat(inScope.get("accepted") / rest).isCloseTo(84.0 / 93, within(0.02));
        assertThat(inScope.get("ignored") / rest).isCloseTo(7.0 / 93, within(0.015));
    }

    @Test
    void conceptDriftDecouplesGroundTruthFromUnchangedInputsAndScores() {
        GeneratorConfig cfg = config().models(DemoModels.FRAUD_SCORER).rateMultiplier(0.4).build();
        Incident inc = new Incident(null, IncidentKind.CONCEPT_DRIFT, DemoModels.FRAUD_SCORER, SegmentSelector.ALL, null,
                Duration.ofMinutes(30), Duration.ofMinutes(90), 0.7, null);
        Run base = run(cfg, Scenario.empty());
        Run changed = run(cfg, Scenario.of(inc));
        Predicate<JsonNode> scope = during(cfg, inc, null, null);
        // every inference event is byte-identical: only the truth changes
        assertThat(changed.records().stream().filter(r -> !r.feedback()).map(GeneratedRecord::payloadAsString).toList())
                .isEqualTo(base.records().stream().filter(r -> !r.feedback()).map(GeneratedRecord::payloadAsString).toList());
        assertFeedbackUnchangedOutside(base, changed, scope);

        double aucBefore = auc(base, scope);
        double aucDuring = auc(changed, scope);
        assertThat(aucBefore).isGreaterThan(0.85);
        // 70% of the labels no longer depend on the score: the AUC falls toward 0.5
        assertThat(aucDuring).isLessThan(aucBefore - 0.15).isGreaterThan(0.5);
        // the same predictions, the same share of labels and actions
        assertThat(changed.feedback()).hasSameSizeAs(base.feedback());
    }

    /** The standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1e-7). */
    private static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-z * z);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    /** The exact ROC AUC of fraud-scorer scores against the labels of the predictions in scope (ties count half). */
    private static double auc(Run run, Predicate<JsonNode> scope) {
        List<double[]> points = new ArrayList<>();
        for (Feedback f : run.feedback()) {
            JsonNode p = run.predictions().get(f.requestId());
            if (f.isLabel() && scope.test(p) && p.get("served_by").asText().equals("model")) {
                points.add(new double[] {p.get("prediction").get("score").asDouble(),
                        f.json().get("label").asText().equals("fraud") ? 1 : 0});
            }
        }
        points.sort((x, y) -> Double.compare(x[0], y[0]));
        double positives = points.stream().filter(x -> x[1] == 1).count();
        double negatives = points.size() - positives;
        double rankSum = 0;
        int i = 0;
        while (i < points.size()) {
            int j = i;
            while (j < points.size() && points.get(j)[0] == points.get(i)[0]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (points.get(k)[1] == 1) {
                    rankSum += midRank;
                }
            }
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    @Test
    void historyIsCleanAndIncidentOffsetsCountFromTheStart() {
        GeneratorConfig cfg = TestSupport.config(Duration.ofMinutes(30)).history(Duration.ofMinutes(30))
                .historyFeedback(Duration.ofMinutes(10)).rateMultiplier(0.3).badRecordRate(0.01).feedback(true).build();
        long feedbackFrom = cfg.start().minus(Duration.ofMinutes(10)).toEpochMilli();
        assertThat(cfg.simulationStart()).isEqualTo(TestSupport.WEDNESDAY_NOON.minus(Duration.ofMinutes(30)));
        Incident silence = new Incident(IncidentKind.SILENCE, DemoModels.PRICE_ESTIMATOR, "all", null,
                Duration.ZERO, Duration.ofMinutes(10), Double.NaN);
        TrafficGenerator g = new TrafficGenerator(cfg, Scenario.of(silence));
        long start = cfg.start().toEpochMilli();
        long simStart = cfg.simulationStart().toEpochMilli();
        long historyEvents = 0;
        long historyPrice = 0;
        long silencedPrice = 0;
        long historyFeedback = 0;
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.bad()) {
                assertThat(r.eventTimeMillis()).as("no bad records in the history").isGreaterThanOrEqualTo(start);
            } else if (r.feedback()) {
                // only predictions of the last 10 minutes of the history get feedback (early labels: up to 10 s before)
                assertThat(r.eventTimeMillis()).isGreaterThanOrEqualTo(feedbackFrom - 10_000);
                historyFeedback += r.eventTimeMillis() < start ? 1 : 0;
            } else {
                assertThat(r.eventTimeMillis()).isGreaterThanOrEqualTo(simStart);
                if (r.eventTimeMillis() < start) {
                    historyEvents++;
                    historyPrice += r.model().equals(DemoModels.PRICE_ESTIMATOR) ? 1 : 0;
                } else if (r.eventTimeMillis() < start + Duration.ofMinutes(10).toMillis()) {
                    silencedPrice += r.model().equals(DemoModels.PRICE_ESTIMATOR) ? 1 : 0;
                }
            }
        }
        GenerationStats stats = g.stats();
        assertThat(historyEvents).isGreaterThan(5_000);
        assertThat(historyPrice).isPositive();
        assertThat(silencedPrice).as("the silence starts at offset 0 of the scenario, not of the history").isZero();
        assertThat(historyFeedback).isPositive();
        assertThat(stats.badRecords()).isPositive();
        assertThat(stats.simulatedStart()).isEqualTo(cfg.simulationStart());
        assertThat(stats.scenarioStart()).isEqualTo(cfg.start());
        assertThat(stats.summary()).contains("clean history until " + cfg.start());
    }
}
