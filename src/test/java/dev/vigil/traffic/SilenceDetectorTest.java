package dev.vigil.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.Evaluation;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Silent models by event time and by wall-clock time, with the timers surviving a restore. */
class SilenceDetectorTest {
    private static final long MIN = 60_000;
    private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % MIN;
    private static final long WALL = 5_000_000L;

    private static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            models:
              - {name: a, task: regression, silence: {after: 10m}}
              - {name: b, task: regression, silence: {after: 10m}}
              - {name: quiet-ok, task: regression}
            """);

    private static KeyedOneInputStreamOperatorTestHarness<String, ModelActivity, AlertEvent> harness(MonitorSpec spec) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SilenceDetector(spec)), activity -> activity.model, Types.STRING);
    }

    private static void activity(KeyedOneInputStreamOperatorTestHarness<String, ModelActivity, AlertEvent> h,
                                 String model, String version, long minute) throws Exception {
        h.processElement(new StreamRecord<>(new ModelActivity(model, version, T0 + minute * MIN, T0 + (minute + 1) * MIN),
                T0 + (minute + 1) * MIN - 1));
    }

    @Test
    void aModelSilentWhileOthersMoveEventTimeOnIsAlertedOnceAndResolvedWhenItReturns() throws Exception {
        var h = harness(SPEC);
        h.setProcessingTime(WALL);
        h.open();
        for (int m = 0; m < 40; m++) {
            if (m < 5 || m >= 30) activity(h, "a", m < 5 ? "1" : "2", m);
            activity(h, "b", "7", m);
            h.processWatermark(T0 + (m + 1) * MIN - 1);
            h.setProcessingTime(WALL + (m + 1) * 1000); // a compressed replay: a minute of event time per second
        }
        List<AlertEvent> alerts = h.extractOutputValues();
        assertThat(alerts).hasSize(2);
        AlertEvent opened = alerts.get(0);
        String id = Evaluation.alertId(Evaluation.key("a", "1", "all", "", "silence"), T0 + 5 * MIN);
        assertThat(opened.change).isEqualTo(AlertEvent.CHANGE_OPENED);
        assertThat(opened.alertId).isEqualTo(id).isEqualTo("a/1/all//silence@" + Instant.ofEpochMilli(T0 + 5 * MIN));
        assertThat(opened.status).isEqualTo(AlertEvent.OPEN);
        assertThat(opened.severity).isEqualTo("critical");
        assertThat(opened.openedAt).isEqualTo(T0 + 5 * MIN);
        assertThat(opened.firedAt).isEqualTo(T0 + 15 * MIN);
        assertThat(opened.score).isEqualTo(10.0);
        assertThat(opened.threshold).isEqualTo(10.0);
        assertThat(opened.explanation).startsWith("a 1 is silent: no events for 10m of event time");
        AlertEvent resolved = alerts.get(1);
        assertThat(resolved.alertId).isEqualTo(id);
        assertThat(resolved.change).isEqualTo(AlertEvent.CHANGE_RESOLVED);
        assertThat(resolved.status).isEqualTo(AlertEvent.RESOLVED);
        assertThat(resolved.resolvedAt).isEqualTo(T0 + 30 * MIN);
        assertThat(resolved.updatedAt).isEqualTo(T0 + 30 * MIN);
        assertThat(resolved.score).isEqualTo(25.0);
        assertThat(resolved.explanation).startsWith("Resolved: traffic of a returned").contains("after 25m");
    }

    @Test
    void aSilenceShorterThanAWindowIsJudgedWhenTheWindowCloses() throws Exception {
        MonitorSpec shortSilence = MonitorSpecLoader.parse("""
                models:
                  - {name: a, task: regression, window: 1m, silence: {after: 5s}}
                  - {name: b, task: regression, window: 1m}
                """);
        var h = harness(shortSilence);
        h.setProcessingTime(WALL);
        h.open();
        activity(h, "a", "1", 0);
        h.processWatermark(T0 + MIN - 1);
        // 5 s after a's last window, but its next window is still open: its events may not have been handed over yet.
        h.processWatermark(T0 + MIN + 30_000);
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(T0 + 2 * MIN - 1); // the window closed without any of a's traffic
        assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.openedAt).isEqualTo(T0 + MIN);
            assertThat(a.firedAt).isEqualTo(T0 + MIN + 5_000);
        });
    }

    @Test
    void whenEverythingIsIdleWallClockTimeFindsTheSilentModels() throws Exception {
        var h = harness(SPEC);
        h.setProcessingTime(WALL);
        h.open();
        for (int m = 0; m < 5; m++) {
            activity(h, "a", "1", m);
            activity(h, "b", "1", m);
            activity(h, "quiet-ok", "1", m);
            h.processWatermark(T0 + (m + 1) * MIN - 1);
        }
        long lastArrival = WALL;
        h.setProcessingTime(lastArrival + 10 * MIN - 1);
        assertThat(h.extractOutputValues()).isEmpty();
        h.setProcessingTime(lastArrival + 10 * MIN);
        List<AlertEvent> alerts = h.extractOutputValues();
        assertThat(alerts).extracting(a -> a.model + " " + a.change).containsExactlyInAnyOrder("a opened", "b opened");
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.openedAt).isEqualTo(T0 + 5 * MIN);
            assertThat(a.firedAt).isEqualTo(T0 + 15 * MIN);
            assertThat(a.explanation).contains("nothing reached Vigil for 10m of wall-clock time");
        });
        // Still silent an hour later: no second "opened".
        h.setProcessingTime(lastArrival + 70 * MIN);
        assertThat(h.extractOutputValues()).hasSize(2);
        // Event time never moved: the watermark stands where the traffic stopped.
        assertThat(h.getOutput().stream().filter(o -> o instanceof org.apache.flink.streaming.api.watermark.Watermark)
                .map(o -> ((org.apache.flink.streaming.api.watermark.Watermark) o).getTimestamp()).reduce((x, y) -> y))
                .contains(T0 + 5 * MIN - 1);
    }

    @Test
    void processingTimeTimersSurviveARestoreAndARestartGetsAGracePeriod() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(SPEC)) {
            h.setProcessingTime(WALL);
            h.open();
            activity(h, "a", "3", 0);
            h.processWatermark(T0 + MIN - 1);
            h.setProcessingTime(WALL + 2 * MIN);
            snapshot = h.snapshot(1, WALL + 2 * MIN);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
        }
        // Restored 3 minutes later with nothing arriving: the timer comes back with the state and, once the
        // restarted job has given the model `after` to show up, reports it without any input.
        try (var h = harness(SPEC)) {
            h.setProcessingTime(WALL + 5 * MIN);
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(WALL + 15 * MIN - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(WALL + 15 * MIN);
            assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.model).isEqualTo("a");
                assertThat(a.modelVersion).isEqualTo("3");
                assertThat(a.change).isEqualTo(AlertEvent.CHANGE_OPENED);
                assertThat(a.openedAt).isEqualTo(T0 + MIN);
            });
        }
        // Restored after the job was down for an hour: the overdue timer waits `after` from the restart before it reports.
        try (var h = harness(SPEC)) {
            h.setProcessingTime(WALL + 60 * MIN);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(WALL + 61 * MIN);
            assertThat(h.extractOutputValues()).isEmpty();
            activity(h, "a", "3", 61); // traffic back within the grace period: never reported
            h.setProcessingTime(WALL + 70 * MIN + 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(WALL + 71 * MIN);
            assertThat(h.extractOutputValues()).singleElement().satisfies(a -> assertThat(a.openedAt).isEqualTo(T0 + 62 * MIN));
        }
    }

    @Test
    void theEndOfABoundedInputIsNotSilenceAndARemovedModelIsForgotten() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(SPEC)) {
            h.setProcessingTime(WALL);
            h.open();
            activity(h, "a", "1", 0);
            activity(h, "b", "1", 0);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(WALL + 10 * MIN); // wall-clock silence is still real: a is reported ...
            assertThat(h.extractOutputValues()).hasSize(2);
            snapshot = h.snapshot(1, WALL + 10 * MIN);
        }
        MonitorSpec withoutA = MonitorSpecLoader.parse("""
                models:
                  - {name: b, task: regression, silence: {after: 10m}}
                """);
        try (var h = harness(withoutA)) {
            h.setProcessingTime(WALL + 10 * MIN);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(WALL + 20 * MIN);
            // ... and once a leaves the spec, its open alert is resolved and its state and timers go.
            assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.model).isEqualTo("a");
                assertThat(a.change).isEqualTo(AlertEvent.CHANGE_RESOLVED);
                assertThat(a.explanation).contains("removed from the monitor spec");
            });
            h.setProcessingTime(WALL + 90 * MIN);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // b only
        }
    }
}
