package dev.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Evaluation;
import dev.vigil.events.InferenceEvent;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The drift evaluator under event time, with a trailing reference built from its own window profiles. */
class DriftEvaluatorTest {
    private static final long MIN = 60_000;
    private static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            models:
              - name: m
                task: regression
                features:
                  - {name: x, type: numeric}
                  - {name: c, type: categorical}
                drift:
                  reference: {trailing: 30m}
                  window: 30m
                  every: 10m
                  min-samples: 500
                  fire-after: 2
                  resolve-after: 2
            """);
    private static final ModelSpec M = SPEC.model("m");

    private static WindowProfile minute(long start, SplittableRandom r, double shift, String category) {
        SegmentProfile p = SegmentProfile.empty(M);
        for (int i = 0; i < 100; i++) {
            InferenceEvent e = new InferenceEvent();
            e.model = "m";
            e.modelVersion = "1";
            e.timestamp = start + i;
            e.value = r.nextDouble();
            e.numeric = new double[] {shift + Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble())};
            e.numericState = new byte[] {InferenceEvent.PRESENT};
            e.categorical = new String[] {r.nextDouble() < 0.5 ? "a" : category};
            e.categoricalState = new byte[] {InferenceEvent.PRESENT};
            p.add(e, M);
        }
        return new WindowProfile("m", "1", "all", start, start + MIN, ProfileCodec.encode(p));
    }

    @Test
    void comparesTheLastWindowWithTheSameSpanEarlierAndFlagsOnlyTheShiftedFeature() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DriftEvaluator(SPEC, ReferenceStore.NONE)), DriftEvaluator::key, Types.STRING);
        harness.open();
        SplittableRandom r = new SplittableRandom(5);
        for (int m = 0; m < 90; m++) {
            WindowProfile p = minute(m * MIN, r, m >= 60 ? 2.0 : 0.0, "b");
            harness.processElement(new StreamRecord<>(p, p.windowEnd - 1));
            harness.processWatermark(p.windowEnd - 1);
        }
        List<DriftScoreRow> rows = harness.extractOutputValues();
        List<Evaluation> evaluations = harness.getSideOutput(DriftEvaluator.EVALUATIONS).stream().map(StreamRecord::getValue).toList();

        // Every 10 minutes once the trailing span holds min-samples values (at 40m it holds 10 minutes: 1000).
        assertThat(rows).extracting(row -> row.evaluatedAt / MIN).containsOnly(40L, 50L, 60L, 70L, 80L, 90L);
        assertThat(rows).allSatisfy(row -> assertThat(row.reference).isEqualTo("trailing:30m"));
        DriftScoreRow before = rows.stream().filter(row -> row.evaluatedAt == 60 * MIN && row.feature.equals("x")).findFirst().orElseThrow();
        assertThat(before.samples).isEqualTo(3000);
        assertThat(before.breached).isNull();
        DriftScoreRow after = rows.stream().filter(row -> row.evaluatedAt == 90 * MIN && row.feature.equals("x")).findFirst().orElseThrow();
        assertThat(after.breached).isEqualTo("critical");
        assertThat(after.psi).isGreaterThan(1.0);
        assertThat(after.explanation).contains("x in all drifted from trailing:30m").contains("→");
        assertThat(rows.stream().filter(row -> row.feature.equals("c")).map(row -> row.breached)).containsOnlyNulls();
        List<String> severities = evaluations.stream().filter(e -> e.feature.equals("x") && e.kind.equals(DriftEvaluator.DRIFT))
                .map(e -> e.severity).toList();
        assertThat(severities).hasSize(6);
        assertThat(severities.subList(0, 3)).containsOnlyNulls(); // windows before the shift
        assertThat(severities.get(3)).isNotNull();                // a third of the window shifted
        assertThat(severities.subList(4, 6)).containsOnly("critical");
        assertThat(evaluations).allSatisfy(e -> {
            assertThat(e.fireAfter).isEqualTo(2);
            assertThat(e.resolveAfter).isEqualTo(2);
        });
        harness.close();
    }

    @Test
    void aSegmentBelowTheMinimumSampleSizeIsNotEvaluated() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DriftEvaluator(SPEC, ReferenceStore.NONE)), DriftEvaluator::key, Types.STRING);
        harness.open();
        SplittableRandom r = new SplittableRandom(6);
        for (int m = 0; m < 60; m += 10) { // one minute in ten: 300 values per 30-minute window
            WindowProfile p = minute(m * MIN, r, 0, "b");
            harness.processElement(new StreamRecord<>(p, p.windowEnd - 1));
            harness.processWatermark(p.windowEnd - 1);
        }
        harness.processWatermark(200 * MIN);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(DriftEvaluator.EVALUATIONS)).isNullOrEmpty();
        harness.close();
    }
}
