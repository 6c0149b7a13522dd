package dev.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertLifecycle;
import dev.vigil.alerts.Evaluation;
import dev.vigil.drift.DriftEvaluator;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The window checks operator in event time, alone and feeding the alert lifecycle. */
class WindowChecksTest {
    private static final long MIN = 60_000;
    private static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            models:
              - name: m
                task: binary-classification
                segments:
                  - {name: region, values: [north, south]}
                features:
                  - {name: x, type: numeric, range: [0, 100]}
                  - {name: c, type: categorical, categories: [a, b]}
                service:
                  latency-p99-ms: [300, 800]
                  min-events: 50
                  fire-after: 1
                  resolve-after: 1
                checks:
                  min-events: 50
                  fire-after: 1
                  resolve-after: 1
              - name: unchecked
                task: regression
                features: [{name: x, type: numeric}, {name: c, type: categorical}]
                drift: {reference: {trailing: 1d}}
            """);
    private static final ModelSpec MODEL = SPEC.model("m");

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowProfile, Evaluation> checks() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowChecks(SPEC)), DriftEvaluator::key, Types.STRING);
        harness.open();
        return harness;
    }

    /** The merge operator emits a window's profile when the watermark reaches its last millisecond. */
    private static void close(KeyedOneInputStreamOperatorTestHarness<String, WindowProfile, Evaluation> h, WindowProfile p)
            throws Exception {
        h.processElement(new StreamRecord<>(p, p.windowEnd - 1));
        h.processWatermark(p.windowEnd - 1);
    }

    private static List<Evaluation> emitted(KeyedOneInputStreamOperatorTestHarness<String, WindowProfile, Evaluation> h) {
        return h.extractOutputValues();
    }

    private static Evaluation only(List<Evaluation> out, String feature, String kind) {
        List<Evaluation> found = out.stream().filter(e -> e.feature.equals(feature) && e.kind.equals(kind)).toList();
        assertThat(found).as("%s %s", feature, kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void aSlowWindowBreachesTheP99SloACleanOneDoesNotAndASmallOneIsNotJudged() throws Exception {
        var h = checks();
        // 0-1m: 100 requests, 3 of them at 900 ms: p99 900 ms > 800 (critical).
        close(h, new Window(MODEL).add(100, (e, i) -> e.latencyMs = i < 3 ? 900 : 40).at("region=south", 0, MIN));
        List<Evaluation> first = emitted(h);
        Evaluation slow = only(first, "", "latency_p99");
        assertThat(slow.severity).isEqualTo("critical");
        assertThat(slow.score).isEqualTo(900.0);
        assertThat(slow.evaluatedAt).isEqualTo(MIN);
        assertThat(slow.segment).isEqualTo("region=south");
        assertThat(slow.explanation).isEqualTo("p99 latency 900 ms over 100 requests in the 1m window to 00:01 UTC "
                + "in segment region=south breaches the SLO of 800 ms (critical)");
        assertThat(first).extracting(e -> e.kind).containsOnly("error_rate", "latency_p99", "fallback_rate",
                "check_missing", "check_type_mismatch", "check_out_of_range", "check_unseen", "stuck_feature");
        assertThat(first).filteredOn(Evaluation::breaching).containsExactly(slow);

        // 1-2m: healthy; every check reports clean, so an open alert can resolve.
        close(h, new Window(MODEL).add(100).at("region=south", MIN, 2 * MIN));
        List<Evaluation> second = emitted(h).subList(first.size(), emitted(h).size());
        assertThat(second).hasSameSizeAs(first).allSatisfy(e -> {
            assertThat(e.severity).isNull();
            assertThat(e.evaluatedAt).isEqualTo(2 * MIN);
        });
        assertThat(only(second, "", "latency_p99").score).isEqualTo(10.0);

        // 2-3m: 49 requests, all slow: below min-events, nothing is judged.
        close(h, new Window(MODEL).add(49, (e, i) -> e.latencyMs = 5000).at("region=south", 2 * MIN, 3 * MIN));
        assertThat(emitted(h)).hasSize(first.size() + second.size());
        h.close();
    }

    @Test
    void stuckNumericAndCategoricalFeaturesAreDetectedAndANormalFeatureIsNot() throws Exception {
        var h = checks();
        close(h, new Window(MODEL).add(80, (e, i) -> e.numeric[0] = 0).at("all", 0, MIN));
        close(h, new Window(MODEL).add(80, (e, i) -> e.categorical[0] = "b").at("region=north", 0, MIN));

        List<Evaluation> stuck = emitted(h).stream().filter(e -> e.kind.equals("stuck_feature")).toList();

        assertThat(stuck).extracting(e -> e.segment, e -> e.feature, e -> e.severity).containsExactlyInAnyOrder(
                tuple("all", "x", "warning"), tuple("all", "c", null),
                tuple("region=north", "x", null), tuple("region=north", "c", "warning"));
        h.close();
    }

    @Test
    void modelsWithoutServiceOrChecksAreIgnored() throws Exception {
        var h = checks();
        ModelSpec unchecked = SPEC.model("unchecked");
        close(h, new Window(unchecked).add(500, (e, i) -> e.error = true).at("all", 0, MIN));
        close(h, new Window(MODEL).add(10).at("all", 0, MIN)); // and a window of a checked model below min-events

        assertThat(emitted(h)).isEmpty();
        h.close();
    }

    @Test
    void aWindowReEmittedAfterLateEventsReplacesItsEvaluationUntilTheWatermarkPassesIt() throws Exception {
        var h = checks();
        var lifecycle = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertLifecycle()), Evaluation::key, Types.STRING);
        lifecycle.open();
        Window slowFirst = new Window(MODEL).add(100, (e, i) -> e.latencyMs = i < 2 ? 900 : 40);
        Window slowSecond = new Window(MODEL).add(100, (e, i) -> e.latencyMs = i < 2 ? 900 : 40);

        // 0-1m closes slow (2 of 100 at 900 ms); late events (100 fast requests) arrive before the
        // lifecycle applied it: the re-checked window (2 of 200: p99 40 ms) replaces the breach.
        h.processElement(new StreamRecord<>(slowFirst.at("all", 0, MIN), MIN - 1));
        h.processElement(new StreamRecord<>(slowFirst.add(100).at("all", 0, MIN), MIN - 1));
        // 1-2m closes slow; its late events arrive after the watermark passed the window's end.
        h.processElement(new StreamRecord<>(slowSecond.at("all", MIN, 2 * MIN), 2 * MIN - 1));
        h.processWatermark(2 * MIN + 1);
        h.processElement(new StreamRecord<>(slowSecond.add(100).at("all", MIN, 2 * MIN), 2 * MIN + 1));

        List<Evaluation> latency = emitted(h).stream().filter(e -> e.kind.equals("latency_p99")).toList();
        assertThat(latency).extracting(e -> e.evaluatedAt, e -> e.score, e -> e.severity).containsExactly(
                tuple(MIN, 900.0, "critical"), tuple(MIN, 40.0, null),
                tuple(2 * MIN, 900.0, "critical"), tuple(2 * MIN, 40.0, null));

        // The lifecycle sees them in the same order around the same watermarks.
        lifecycle.processElement(new StreamRecord<>(latency.get(0)));
        lifecycle.processElement(new StreamRecord<>(latency.get(1)));
        lifecycle.processElement(new StreamRecord<>(latency.get(2)));
        lifecycle.processWatermark(2 * MIN + 1);
        lifecycle.processElement(new StreamRecord<>(latency.get(3))); // behind the watermark: dropped, counted
        lifecycle.processWatermark(10 * MIN);

        List<AlertEvent> alerts = lifecycle.extractOutputValues();
        assertThat(alerts).extracting(a -> a.change, a -> a.openedAt, a -> a.severity)
                .as("the first window's breach was replaced; the second's opened an alert that the late re-check cannot resolve")
                .containsExactly(tuple(AlertEvent.CHANGE_OPENED, 2 * MIN, "critical"));
        h.close();
        lifecycle.close();
    }
}
