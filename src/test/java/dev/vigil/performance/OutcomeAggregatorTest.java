package dev.vigil.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Evaluation;
import dev.vigil.feedback.Outcome;
import dev.vigil.feedback.OutcomeSegments;
import dev.vigil.feedback.SegmentOutcome;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.usage.AdoptionCheck;
import dev.vigil.usage.UsageStatsRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The usage and performance aggregation of joined outcomes under event time, one operator harness per test. */
class OutcomeAggregatorTest {
    private static final long DAY = 24 * 60 * 60_000L;
    private static final long MIN = 60_000;
    /** Ten-minute usage and performance windows over one-minute model windows; feedback kept for an hour. */
    private static final String SPEC_TEXT = """
            models:
              - name: m
                task: binary-classification
                window: 1m
                segments:
                  - {name: country, values: [DE, FR]}
                prediction: {labels: [fraud, legit]}
                feedback: {ttl: 1h}
                adoption:
                  window: 10m
                  baseline: {override-rate: 0.05, ignore-rate: 0.1}
                  margin: {warning: 0.05, critical: 0.15}
                  min-feedback: 20
                  evaluate-after: 5m
                  fire-after: 1
                  resolve-after: 1
                performance:
                  window: 10m
                  reference: {accuracy: 0.9}
                  margin: 0.05
                  min-labels: 20
                  evaluate-after: 30m
                  coverage: {min: 0.5}
            """;
    private static final MonitorSpec SPEC = MonitorSpecLoader.parse(SPEC_TEXT);

    private KeyedOneInputStreamOperatorTestHarness<String, SegmentOutcome, PerformanceMetricRow> harness;
    private OutcomeAggregator aggregator;

    private void open(MonitorSpec spec) throws Exception {
        aggregator = new OutcomeAggregator(spec);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(aggregator), SegmentOutcome::key, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    // ---- outcomes ---------------------------------------------------------------------------------

    static Outcome prediction(String id, long time, String country, double score) {
        Outcome o = new Outcome();
        o.type = Outcome.PREDICTION;
        o.requestId = id;
        o.model = "m";
        o.modelVersion = "1";
        o.predictionTime = time;
        o.segmentValues = new String[] {country};
        o.score = score;
        o.predictedLabel = score >= 0.5 ? "fraud" : "legit";
        return o;
    }

    static Outcome action(Outcome prediction, long time, String action) {
        Outcome o = feedback(prediction, time);
        o.type = Outcome.ACTION;
        o.action = action;
        return o;
    }

    static Outcome label(Outcome prediction, long time, String trueLabel) {
        Outcome o = feedback(prediction, time);
        o.type = Outcome.LABEL;
        o.trueLabel = trueLabel;
        return o;
    }

    private static Outcome feedback(Outcome p, long time) {
        Outcome o = new Outcome();
        o.requestId = p.requestId;
        o.model = p.model;
        o.modelVersion = p.modelVersion;
        o.predictionTime = p.predictionTime;
        o.segmentValues = p.segmentValues;
        o.score = p.score;
        o.predictedLabel = p.predictedLabel;
        o.error = p.error;
        o.fallback = p.fallback;
        o.feedbackTime = time;
        return o;
    }

    /** Feeds an outcome to each of its segments, as the fan-out before the keyBy does. */
    private void send(Outcome o) throws Exception {
        for (String segment : OutcomeSegments.of(SPEC.model("m"), o)) {
            harness.processElement(new StreamRecord<>(new SegmentOutcome(segment, o), Math.max(o.predictionTime, o.feedbackTime)));
        }
    }

    private List<UsageStatsRow> usageRows() {
        var out = harness.getSideOutput(OutcomeAggregator.USAGE_STATS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private List<Evaluation> evaluations() {
        var out = harness.getSideOutput(OutcomeAggregator.EVALUATIONS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private List<PerformanceMetricRow> metricRows(String segment, String metric) {
        return harness.extractOutputValues().stream().filter(r -> r.segment.equals(segment) && r.metric.equals(metric)).toList();
    }

    // ---- tests ------------------------------------------------------------------------------------

    @Test
    void usageCountsAreExactPerWindowAndSegment() throws Exception {
        open(SPEC);
        SplittableRandom r = new SplittableRandom(7);
        String[] countries = {"DE", "FR", "US", null};
        String[] actions = {"accepted", "overridden", "ignored", "escalated"};
        Map<String, long[]> expected = new HashMap<>(); // "<segment>@<window>" -> predictions, errors, fallbacks, 4 actions
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long time = r.nextLong(30 * MIN);
            Outcome p = prediction("r" + i, time, countries[r.nextInt(4)], r.nextDouble());
            p.error = r.nextDouble() < 0.05;
            p.fallback = r.nextDouble() < 0.1;
            outcomes.add(p);
            int act = r.nextDouble() < 0.7 ? r.nextInt(4) : -1;
            if (act >= 0) outcomes.add(action(p, time + r.nextLong(3 * MIN), actions[act]));
            if (r.nextBoolean()) outcomes.add(label(p, time + r.nextLong(20 * MIN), "legit"));
            String country = p.segmentValues[0] == null ? "unknown" : p.segmentValues[0];
            String dim = country.equals("DE") || country.equals("FR") || country.equals("unknown") ? country : "other";
            for (String segment : List.of("all", "country=" + dim)) {
                long[] c = expected.computeIfAbsent(segment + "@" + time / (10 * MIN) * 10 * MIN, k -> new long[7]);
                c[0]++;
                if (p.error) c[1]++;
                if (p.fallback) c[2]++;
                if (act >= 0) c[3 + act]++;
            }
        }
        // Outcomes arrive in feedback-time order, the watermark trailing by a minute.
        outcomes.sort(java.util.Comparator.comparingLong(o -> Math.max(o.predictionTime, o.feedbackTime)));
        for (Outcome o : outcomes) {
            send(o);
            harness.processWatermark(Math.max(o.predictionTime, o.feedbackTime) - MIN);
        }
        harness.processWatermark(Long.MAX_VALUE);

        Map<String, UsageStatsRow> latest = new HashMap<>();
        for (UsageStatsRow row : usageRows()) latest.put(row.segment + "@" + row.windowStart, row);
        assertThat(latest.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            UsageStatsRow row = latest.get(e.getKey());
            long[] c = e.getValue();
            assertThat(new long[] {row.predictions, row.errors, row.fallbacks, row.accepted, row.overridden, row.ignored, row.escalated})
                    .as(e.getKey()).containsExactly(c);
            long feedback = c[3] + c[4] + c[5] + c[6];
            assertThat(row.feedback).isEqualTo(feedback);
            assertThat(row.overrideRate).isEqualTo((double) c[4] / feedback);
            assertThat(row.fallbackRate).isEqualTo((double) c[2] / c[0]);
            assertThat(row.windowEnd - row.windowStart).isEqualTo(10 * MIN);
        }
        assertThat(aggregator.droppedAfterRetention()).isZero();
        assertThat(harness.numEventTimeTimers()).as("all state and timers are gone after the retention").isZero();
    }

    @Test
    void aLateLabelUpdatesAnAlreadyWrittenWindow() throws Exception {
        open(SPEC);
        List<Outcome> predictions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Outcome p = prediction("r" + i, i * 30_000L, "DE", i < 5 ? 0.9 : 0.1); // 5 say fraud, 5 legit
            predictions.add(p);
            send(p);
        }
        for (int i = 0; i < 4; i++) send(label(predictions.get(i), 6 * MIN, "fraud")); // right
        harness.processWatermark(10 * MIN - 1); // the window [0, 10m) closes
        List<PerformanceMetricRow> first = metricRows("country=DE", "label_coverage");
        assertThat(first).hasSize(1);
        assertThat(first.get(0).value).isEqualTo(0.4);
        assertThat(first.get(0).labels).isEqualTo(4);
        assertThat(first.get(0).predictions).isEqualTo(10);
        assertThat(metricRows("country=DE", "accuracy")).extracting(row -> row.value).containsExactly(1.0);

        // Two late labels in the same minute of event time: one rewrite, when the watermark leaves that minute.
        harness.processWatermark(12 * MIN + 10_000);
        send(label(predictions.get(5), 12 * MIN + 20_000, "fraud"));  // wrong: scored 0.1
        send(label(predictions.get(6), 12 * MIN + 30_000, "legit"));  // right
        harness.processWatermark(12 * MIN + 50_000);
        assertThat(metricRows("country=DE", "label_coverage")).hasSize(1);
        harness.processWatermark(13 * MIN);

        List<PerformanceMetricRow> coverage = metricRows("country=DE", "label_coverage");
        assertThat(coverage).hasSize(2);
        PerformanceMetricRow second = coverage.get(1);
        assertThat(List.of(second.model, second.modelVersion, second.segment, second.windowStart, second.metric))
                .as("the same natural key as the first row")
                .isEqualTo(List.of(first.get(0).model, first.get(0).modelVersion, first.get(0).segment, first.get(0).windowStart,
                        first.get(0).metric));
        assertThat(second.value).isEqualTo(0.6);
        assertThat(second.labels).isEqualTo(6);
        assertThat(metricRows("country=DE", "accuracy")).extracting(row -> row.value).containsExactly(1.0, 5.0 / 6);
        assertThat(metricRows("all", "accuracy")).extracting(row -> row.value).containsExactly(1.0, 5.0 / 6);
        // Labels do not change usage: its row is not rewritten.
        assertThat(usageRows().stream().filter(row -> row.segment.equals("country=DE"))).hasSize(1);
    }

    @Test
    void anOverrideRateAboveTheBaselineBreachesAndANormalOneIsClean() throws Exception {
        open(SPEC);
        int id = 0;
        // Window [0, 10m): 100 actions, 30 overridden. Window [10m, 20m): 100 actions, 4 overridden, 10 ignored.
        // Window [20m, 30m): 19 actions (below min-feedback), all overridden.
        int[][] windows = {{30, 0}, {4, 10}, {19, 0}};
        int[] actionsPerWindow = {100, 100, 19};
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < actionsPerWindow[w]; i++) {
                Outcome p = prediction("r" + id++, w * 10 * MIN + i * 1000L, "FR", 0.2);
                send(p);
                String act = i < windows[w][0] ? "overridden" : i < windows[w][0] + windows[w][1] ? "ignored" : "accepted";
                send(action(p, p.predictionTime + MIN, act));
            }
        }
        harness.processWatermark(15 * MIN - 2);
        assertThat(evaluations()).isEmpty();
        harness.processWatermark(15 * MIN - 1); // window end 10m + evaluate-after 5m
        List<Evaluation> first = evaluations();
        assertThat(first).extracting(e -> e.segment + " " + e.kind + " " + e.severity).containsExactlyInAnyOrder(
                "all override_rate critical", "all ignore_rate null",
                "country=FR override_rate critical", "country=FR ignore_rate null");
        Evaluation override = first.stream().filter(e -> e.kind.equals(AdoptionCheck.OVERRIDE_RATE)).findFirst().orElseThrow();
        assertThat(override.evaluatedAt).isEqualTo(15 * MIN);
        assertThat(override.score).isEqualTo(0.30);
        assertThat(override.threshold).isCloseTo(0.20, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(override.fireAfter).isEqualTo(1);
        assertThat(override.explanation).contains("overridden 30 of 100").contains("30.0%").contains("5.0%");

        harness.processWatermark(DAY); // every window matured; Long.MAX_VALUE would be the end of input, which judges nothing
        List<Evaluation> second = evaluations().stream().filter(e -> e.evaluatedAt == 25 * MIN && e.segment.equals("all")).toList();
        assertThat(second).extracting(e -> e.kind + " " + e.severity + " " + e.score)
                .containsExactlyInAnyOrder("override_rate null 0.04", "ignore_rate null 0.1");
        assertThat(evaluations().stream().filter(e -> e.evaluatedAt == 35 * MIN)).as("below min-feedback: not judged").isEmpty();
        assertThat(evaluations()).extracting(e -> e.evaluatedAt).isSorted();
    }

    @Test
    void aTrailingBaselineIsTheMeanOfThePreviousWindows() throws Exception {
        MonitorSpec trailing = MonitorSpecLoader.parse(SPEC_TEXT.replace("baseline: {override-rate: 0.05, ignore-rate: 0.1}",
                "baseline: {trailing: 3}"));
        open(trailing);
        int id = 0;
        int[] overridden = {4, 6, 5, 25};
        for (int w = 0; w < overridden.length; w++) {
            for (int i = 0; i < 100; i++) {
                Outcome p = prediction("r" + id++, w * 10 * MIN + i * 1000L, "DE", 0.2);
                send(p);
                send(action(p, p.predictionTime + MIN, i < overridden[w] ? "overridden" : "accepted"));
            }
        }
        harness.processWatermark(DAY); // every window matured; Long.MAX_VALUE would be the end of input, which judges nothing
        List<Evaluation> override = evaluations().stream()
                .filter(e -> e.segment.equals("all") && e.kind.equals(AdoptionCheck.OVERRIDE_RATE)).toList();
        // No baseline before three windows; then the mean of 4%, 6% and 5%.
        assertThat(override).hasSize(1);
        assertThat(override.get(0).evaluatedAt).isEqualTo(45 * MIN);
        assertThat(override.get(0).severity).isEqualTo("critical");
        assertThat(override.get(0).threshold).isCloseTo(0.05 + 0.15, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(override.get(0).explanation).contains("the mean of the previous 3 windows");
    }

    @Test
    void performanceBelowTheReferenceWithEnoughLabelsBreachesAndTooFewLabelsAreNotJudged() throws Exception {
        open(SPEC);
        int id = 0;
        // Window [0, 10m) in DE: 40 labels, 30 right (accuracy 0.75 < 0.9 - 2 x 0.05): critical.
        // Window [0, 10m) in FR: 10 labels, all wrong: too few labels to judge.
        for (int i = 0; i < 40; i++) {
            Outcome p = prediction("r" + id++, i * 1000L, "DE", 0.9);
            send(p);
            send(label(p, p.predictionTime + 5 * MIN, i < 30 ? "fraud" : "legit"));
        }
        for (int i = 0; i < 10; i++) {
            Outcome p = prediction("r" + id++, i * 1000L, "FR", 0.9);
            send(p);
            send(label(p, p.predictionTime + 5 * MIN, "legit"));
        }
        harness.processWatermark(40 * MIN - 2);
        assertThat(evaluations().stream().filter(e -> e.kind.equals(PerformanceCheck.PERFORMANCE))).isEmpty();
        harness.processWatermark(40 * MIN - 1); // window end + evaluate-after 30m
        List<Evaluation> performance = evaluations().stream().filter(e -> e.kind.equals(PerformanceCheck.PERFORMANCE)).toList();
        assertThat(performance).extracting(e -> e.segment + " " + e.feature + " " + e.severity)
                .containsExactlyInAnyOrder("country=DE accuracy critical", "all accuracy critical");
        Evaluation de = performance.stream().filter(e -> e.segment.equals("country=DE")).findFirst().orElseThrow();
        assertThat(de.score).isEqualTo(0.75);
        assertThat(de.threshold).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(de.evaluatedAt).isEqualTo(40 * MIN);
        assertThat(de.explanation).contains("accuracy is 0.7500 against a reference of 0.9000").contains("from 40 labels");
        Evaluation all = performance.stream().filter(e -> e.segment.equals("all")).findFirst().orElseThrow();
        assertThat(all.score).isEqualTo(30.0 / 50);
    }

    @Test
    void theEndOfTheInputJudgesNoWindowWhoseFeedbackHadNotMatured() throws Exception {
        open(SPEC);
        for (int i = 0; i < 100; i++) send(prediction("r" + i, i * 1000L, "DE", 0.1)); // no labels, no actions yet
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(evaluations()).as("a drain or the end of a bounded input is not a broken label pipeline").isEmpty();
        assertThat(harness.extractOutputValues()).as("the rows are still written").isNotEmpty();
    }

    @Test
    void aLabelCoverageDropIsAlerted() throws Exception {
        open(SPEC);
        int id = 0;
        // Window [0, 10m): 100 predictions, 80 labeled. Window [10m, 20m): 100 predictions, 10 labeled.
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < 100; i++) {
                Outcome p = prediction("r" + id++, w * 10 * MIN + i * 1000L, "DE", 0.1);
                send(p);
                if (i < (w == 0 ? 80 : 10)) send(label(p, p.predictionTime + MIN, "legit"));
            }
        }
        harness.processWatermark(DAY); // every window matured; Long.MAX_VALUE would be the end of input, which judges nothing
        List<Evaluation> coverage = evaluations().stream()
                .filter(e -> e.kind.equals(PerformanceCheck.LABEL_COVERAGE) && e.segment.equals("all")).toList();
        assertThat(coverage).extracting(e -> e.evaluatedAt / MIN + " " + e.severity + " " + e.score)
                .containsExactly("40 null 0.8", "50 critical 0.1");
        assertThat(coverage.get(1).explanation).contains("10 of 100 predictions have a label 30m after the window closed");
    }

    @Test
    void outcomesAfterTheFeedbackTimeToLiveAreDroppedAndCounted() throws Exception {
        open(SPEC);
        Outcome p = prediction("r1", 0, "DE", 0.9);
        send(p);
        send(label(p, MIN, "fraud"));
        harness.processWatermark(10 * MIN + 60 * MIN - 2); // window end + ttl - 2 ms: still kept
        send(label(prediction("r2", 30_000, "DE", 0.9), 70 * MIN, "fraud"));
        harness.processWatermark(10 * MIN + 60 * MIN - 1); // state of [0, 10m) is gone
        send(label(prediction("r3", 40_000, "DE", 0.9), 71 * MIN, "fraud"));
        send(action(prediction("r3", 40_000, "DE", 0.9), 71 * MIN, "accepted"));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(aggregator.droppedAfterRetention()).as("one per outcome, not per segment").isEqualTo(2);
        List<PerformanceMetricRow> coverage = metricRows("all", "label_coverage");
        assertThat(coverage).extracting(row -> row.labels).containsExactly(1L, 2L);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
