package dev.vigil.alerts;

import static dev.vigil.alerts.Severity.CRITICAL;
import static dev.vigil.alerts.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert lifecycle on an operator harness: opening, escalation, resolution, event-time order, replays, state. */
class AlertLifecycleTest {
    private static final long MIN = 60_000;
    private static final long T0 = 1_794_960_000_000L; // 2026-11-18T00:00:00Z

    private KeyedOneInputStreamOperatorTestHarness<String, Evaluation, AlertEvent> harness;
    private InterceptingOperatorMetricGroup metrics;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness(null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, Evaluation, AlertEvent> newHarness(OperatorSubtaskState restored)
            throws Exception {
        InterceptingOperatorMetricGroup operatorMetrics = new InterceptingOperatorMetricGroup();
        MockEnvironment env = new MockEnvironmentBuilder()
                .setTaskName("alert lifecycle")
                .setManagedMemorySize(4 * 1024 * 1024)
                .setMaxParallelism(128)
                .setMetricGroup(new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name,
                                                                         java.util.Map<String, String> info) {
                        return operatorMetrics;
                    }
                })
                .build();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertLifecycle()), Evaluation::key, Types.STRING, env);
        if (restored != null) {
            h.setup();
            h.initializeState(restored);
        }
        h.open();
        metrics = operatorMetrics;
        return h;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Evaluation eval(String feature, long minute, String severity) {
        double score = severity == null ? 0.05 : severity.equals(WARNING) ? 0.15 : 0.4;
        return new Evaluation("fraud-scorer", "3", "country=DE", feature, "drift_psi", T0 + minute * MIN)
                .result(severity, score, 0.1, "PSI of " + feature + " is " + score + " against 0.1 at minute " + minute + ".");
    }

    private static Evaluation breach(long minute) {
        return eval("amount", minute, WARNING);
    }

    private static Evaluation critical(long minute) {
        return eval("amount", minute, CRITICAL);
    }

    private static Evaluation clean(long minute) {
        return eval("amount", minute, null);
    }

    private void send(Evaluation... evaluations) throws Exception {
        for (Evaluation e : evaluations) harness.processElement(new StreamRecord<>(e, e.evaluatedAt));
    }

    /** Sends the evaluations and lets the watermark pass the last of them. */
    private List<AlertEvent> run(Evaluation... evaluations) throws Exception {
        send(evaluations);
        long max = Long.MIN_VALUE;
        for (Evaluation e : evaluations) max = Math.max(max, e.evaluatedAt);
        harness.processWatermark(max);
        return drain();
    }

    private List<AlertEvent> drain() {
        List<AlertEvent> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    private static long at(long minute) {
        return T0 + minute * MIN;
    }

    private static String id(String feature, long openedMinute) {
        return Evaluation.alertId(Evaluation.key("fraud-scorer", "3", "country=DE", feature, "drift_psi"), at(openedMinute));
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void opensAfterNConsecutiveBreachesAndNotBefore() throws Exception {
        assertThat(run(breach(1), breach(2))).isEmpty();
        assertThat(run(breach(3))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_OPENED);
            assertThat(a.status).isEqualTo(AlertEvent.OPEN);
            assertThat(a.alertId).isEqualTo(id("amount", 1)).isEqualTo("fraud-scorer/3/country=DE/amount/drift_psi@2026-11-18T00:01:00Z");
            assertThat(a.openedAt).isEqualTo(at(1));
            assertThat(a.firedAt).isEqualTo(at(3));
            assertThat(a.updatedAt).isEqualTo(at(3));
            assertThat(a.resolvedAt).isNull();
            assertThat(a.severity).isEqualTo(WARNING);
            assertThat(a.model).isEqualTo("fraud-scorer");
            assertThat(a.modelVersion).isEqualTo("3");
            assertThat(a.segment).isEqualTo("country=DE");
            assertThat(a.feature).isEqualTo("amount");
            assertThat(a.kind).isEqualTo("drift_psi");
            assertThat(a.score).isEqualTo(0.15);
            assertThat(a.threshold).isEqualTo(0.1);
            assertThat(a.explanation).isEqualTo("PSI of amount is 0.15 against 0.1 at minute 3.");
        });
        assertThat(counter("alertsOpened")).isEqualTo(1);
    }

    @Test
    void aCleanEvaluationResetsTheBreachCount() throws Exception {
        assertThat(run(breach(1), clean(2), breach(3), breach(4), clean(5), breach(6), breach(7))).isEmpty();
        assertThat(run(breach(8))).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(at(6)));
    }

    @Test
    void theAlertOpensWithTheHighestSeverityOfTheRun() throws Exception {
        assertThat(run(breach(1), critical(2), breach(3))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_OPENED);
            assertThat(a.severity).isEqualTo(CRITICAL);
            assertThat(a.score).isEqualTo(0.15);
        });
    }

    @Test
    void staysOpenWithoutDuplicatesThroughFurtherBreaches() throws Exception {
        assertThat(run(breach(1), breach(2), breach(3))).hasSize(1);
        assertThat(run(breach(4), breach(5), breach(6), breach(7), clean(8), breach(9), breach(10))).isEmpty();
        assertThat(counter("alertsOpened")).isEqualTo(1);
    }

    @Test
    void escalatesFromWarningToCriticalOnce() throws Exception {
        assertThat(run(breach(1), breach(2), breach(3))).hasSize(1);
        assertThat(run(critical(4))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_ESCALATED);
            assertThat(a.alertId).isEqualTo(id("amount", 1));
            assertThat(a.severity).isEqualTo(CRITICAL);
            assertThat(a.status).isEqualTo(AlertEvent.OPEN);
            assertThat(a.openedAt).isEqualTo(at(1));
            assertThat(a.firedAt).isEqualTo(at(3));
            assertThat(a.updatedAt).isEqualTo(at(4));
            assertThat(a.score).isEqualTo(0.4);
        });
        assertThat(run(critical(5), critical(6), critical(7), breach(8), critical(9))).isEmpty();
    }

    @Test
    void deEscalatesOnlyAfterResolveAfterLessSevereEvaluations() throws Exception {
        assertThat(run(critical(1), critical(2), critical(3))).singleElement()
                .satisfies(a -> assertThat(a.severity).isEqualTo(CRITICAL));
        // A single warning between criticals does not flap the severity.
        assertThat(run(breach(4), critical(5), breach(6), breach(7))).isEmpty();
        assertThat(run(clean(8))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_DE_ESCALATED);
            assertThat(a.severity).isEqualTo(WARNING);
            assertThat(a.status).isEqualTo(AlertEvent.OPEN);
            assertThat(a.updatedAt).isEqualTo(at(8));
            assertThat(a.explanation).startsWith("De-escalated from critical to warning: 3 consecutive evaluations below critical.");
        });
        assertThat(run(clean(9))).isEmpty();
        assertThat(run(clean(10))).singleElement().satisfies(a -> assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED));
    }

    @Test
    void resolvesAfterMConsecutiveCleanEvaluations() throws Exception {
        assertThat(run(breach(1), breach(2), breach(3))).hasSize(1);
        assertThat(run(clean(4), clean(5), breach(6), clean(7), clean(8))).isEmpty();
        assertThat(run(clean(9))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED);
            assertThat(a.status).isEqualTo(AlertEvent.RESOLVED);
            assertThat(a.alertId).isEqualTo(id("amount", 1));
            assertThat(a.severity).isEqualTo(WARNING);
            assertThat(a.openedAt).isEqualTo(at(1));
            assertThat(a.firedAt).isEqualTo(at(3));
            assertThat(a.updatedAt).isEqualTo(at(9));
            assertThat(a.resolvedAt).isEqualTo(at(9));
            assertThat(a.score).isEqualTo(0.05);
            assertThat(a.explanation).isEqualTo("Resolved: 3 consecutive evaluations without a breach. "
                    + "PSI of amount is 0.05 against 0.1 at minute 9.");
        });
        assertThat(run(clean(10), clean(11))).isEmpty();
        assertThat(counter("alertsResolved")).isEqualTo(1);
    }

    @Test
    void aNewBreachRunAfterResolutionOpensANewAlert() throws Exception {
        List<AlertEvent> first = run(breach(1), breach(2), breach(3), clean(4), clean(5), clean(6));
        assertThat(first).extracting(a -> a.change).containsExactly(AlertEvent.CHANGE_OPENED, AlertEvent.CHANGE_RESOLVED);
        List<AlertEvent> second = run(breach(7), critical(8), breach(9));
        assertThat(second).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_OPENED);
            assertThat(a.alertId).isEqualTo(id("amount", 7)).isNotEqualTo(first.get(0).alertId);
            assertThat(a.openedAt).isEqualTo(at(7));
            assertThat(a.firedAt).isEqualTo(at(9));
            assertThat(a.severity).isEqualTo(CRITICAL);
            assertThat(a.resolvedAt).isNull();
        });
    }

    @Test
    void outOfOrderEvaluationsWithinTheWatermarkAreProcessedInEventTimeOrder() throws Exception {
        // In event time: clean, breach, breach, breach -> opens at minute 4, opened at minute 2.
        // In arrival order it would be breach, breach, clean, breach: no alert.
        send(breach(4), breach(2), clean(1), breach(3));
        assertThat(drain()).isEmpty();
        harness.processWatermark(at(3));
        assertThat(drain()).isEmpty();
        harness.processWatermark(at(4));
        assertThat(drain()).singleElement().satisfies(a -> {
            assertThat(a.openedAt).isEqualTo(at(2));
            assertThat(a.updatedAt).isEqualTo(at(4));
        });
        assertThat(counter("lateEvaluationsDropped")).isZero();

        // Behind the watermark when it arrives: ignored and counted.
        send(clean(3));
        send(clean(5), clean(6), clean(7));
        harness.processWatermark(at(7));
        assertThat(drain()).singleElement().satisfies(a -> assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED));
        assertThat(counter("lateEvaluationsDropped")).isEqualTo(1);
    }

    @Test
    void emittedEventsCarryTheEvaluationTimeAsTimestamp() throws Exception {
        send(breach(1), breach(2), breach(3));
        harness.processWatermark(at(10));
        assertThat(harness.extractOutputStreamRecords()).singleElement()
                .satisfies(r -> assertThat(r.getTimestamp()).isEqualTo(at(3)));
    }

    @Test
    void aReplayedEvaluationIsCountedOnce() throws Exception {
        // Before it is processed: the buffer holds one evaluation per time.
        assertThat(run(breach(1), breach(1), breach(2))).isEmpty();
        assertThat(counter("duplicateEvaluations")).isEqualTo(1);
        // After it is processed: behind the watermark, ignored.
        send(breach(2), breach(2));
        assertThat(run(breach(3))).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(at(1)));
        assertThat(counter("lateEvaluationsDropped")).isEqualTo(2);
        // Replays of a clean run do not resolve early either.
        assertThat(run(clean(4), clean(4), clean(5), clean(5))).isEmpty();
        assertThat(run(clean(6))).singleElement().satisfies(a -> assertThat(a.resolvedAt).isEqualTo(at(6)));
    }

    @Test
    void theSameInputGivesTheSameAlertsWhateverTheDuplicatesAndArrivalOrder() throws Exception {
        List<AlertEvent> expected = run(breach(1), clean(2), breach(3), critical(4), breach(5), clean(6), clean(7), clean(8));
        assertThat(expected).extracting(a -> a.change).containsExactly(AlertEvent.CHANGE_OPENED, AlertEvent.CHANGE_RESOLVED);
        harness.close();

        harness = newHarness(null);
        send(clean(7), breach(3), breach(1), critical(4), breach(3), clean(2), clean(8), breach(5), clean(6), clean(7));
        harness.processWatermark(at(8));
        assertThat(drain()).isEqualTo(expected);
    }

    @Test
    void noStateOrTimersAreLeftAfterAResolvedAlertAndCleanEvaluations() throws Exception {
        run(clean(1), clean(2));
        assertThat(harness.numKeyedStateEntries()).isZero();
        run(breach(3), clean(4));
        assertThat(harness.numKeyedStateEntries()).isZero();

        run(breach(5), breach(6), breach(7), critical(8));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        send(clean(9), clean(10), clean(11), clean(12));
        assertThat(harness.numEventTimeTimers()).isEqualTo(4);
        harness.processWatermark(at(12));
        assertThat(drain()).extracting(a -> a.change).containsExactly(AlertEvent.CHANGE_RESOLVED);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keysAreIndependent() throws Exception {
        List<AlertEvent> out = run(breach(1), eval("country", 1, CRITICAL), breach(2), eval("country", 2, null),
                breach(3), eval("country", 3, CRITICAL));
        assertThat(out).singleElement().satisfies(a -> assertThat(a.feature).isEqualTo("amount"));
    }

    @Test
    void thePolicyComesWithTheEvaluation() throws Exception {
        assertThat(run(breach(1).policy(1, 2))).singleElement()
                .satisfies(a -> assertThat(a.change).isEqualTo(AlertEvent.CHANGE_OPENED));
        assertThat(run(clean(2).policy(1, 2))).isEmpty();
        assertThat(run(clean(3).policy(1, 2))).singleElement()
                .satisfies(a -> assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED));
        // Nonsense policies count as 1.
        assertThat(run(breach(4).policy(0, -1))).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(at(4)));
        assertThat(run(clean(5).policy(0, -1))).singleElement()
                .satisfies(a -> assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED));
    }

    @Test
    void anAlertNotAboutAFeatureHasAnEmptyFeatureAndAnExplanationEvenWithoutOne() throws Exception {
        Evaluation[] errors = new Evaluation[3];
        for (int i = 0; i < 3; i++) {
            errors[i] = new Evaluation("ticket-router", "7", "all", null, "error_rate", at(i)).result(CRITICAL, 0.2, 0.05, null);
        }
        assertThat(run(errors)).singleElement().satisfies(a -> {
            assertThat(a.feature).isEmpty();
            assertThat(a.alertId).isEqualTo("ticket-router/7/all//error_rate@2026-11-18T00:00:00Z");
            assertThat(a.explanation).isEqualTo("error_rate for ticket-router 7, segment all: score 0.2, threshold 0.05 (critical).");
        });
    }

    @Test
    void invalidEvaluationsAreDroppedAndCounted() throws Exception {
        Evaluation unknownSeverity = breach(1).result("severe", 1.0, 0.1, "?");
        Evaluation noModel = breach(2);
        noModel.model = null;
        assertThat(run(unknownSeverity, noModel, breach(3))).isEmpty();
        assertThat(counter("invalidEvaluationsDropped")).isEqualTo(2);
    }

    @Test
    void anOpenAlertSurvivesACheckpointAndRestore() throws Exception {
        run(breach(1), breach(2), breach(3));
        send(clean(4), clean(5)); // still buffered: the watermark is at minute 3
        OperatorSubtaskState snapshot = harness.snapshot(1, at(3));
        harness.close();

        harness = newHarness(snapshot);
        harness.processWatermark(at(5));
        assertThat(drain()).isEmpty();
        assertThat(run(clean(6))).singleElement().satisfies(a -> {
            assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED);
            assertThat(a.alertId).isEqualTo(id("amount", 1));
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
