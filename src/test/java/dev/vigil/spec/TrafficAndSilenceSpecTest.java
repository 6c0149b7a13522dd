package dev.vigil.spec;

import static dev.vigil.spec.MonitorSpecLoaderTest.problemOf;
import static dev.vigil.spec.MonitorSpecLoaderTest.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code traffic:} and {@code silence:} sections of a model's spec. */
class TrafficAndSilenceSpecTest {

    private static String model(String sections) {
        return """
                models:
                  - name: fraud
                    task: binary-classification
                    window: 5m
                    segments:
                      - {name: country, max-values: 8}
                      - {name: channel, values: [web, app]}
                """ + sections.indent(4);
    }

    @Test
    void defaultsApplyWhenTheSectionsAreEmpty() {
        ModelSpec m = MonitorSpecLoader.parse(model("traffic: {}\nsilence: {}")).model("fraud");
        TrafficSpec t = m.traffic();
        assertThat(t.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(t.warning()).isEqualTo(4.0);
        assertThat(t.critical()).isEqualTo(6.0);
        assertThat(t.minHistory()).isEqualTo(Duration.ofDays(7));
        assertThat(t.history()).isEqualTo(4);
        assertThat(t.minRelativeSpread()).isEqualTo(0.1);
        assertThat(t.minExpected()).isEqualTo(50);
        assertThat(t.segments()).isEmpty();
        assertThat(t.fireAfter()).isEqualTo(2);
        assertThat(t.resolveAfter()).isEqualTo(2);
        assertThat(m.silence().after()).isEqualTo(Duration.ofMinutes(10));
        assertThat(m.needsWindowProfiles()).isTrue();
    }

    @Test
    void everyFieldIsRead() {
        ModelSpec m = MonitorSpecLoader.parse(model("""
                traffic:
                  bucket: 10m
                  deviations: [3.5, 7]
                  min-history: 1d
                  history: 3
                  min-relative-spread: 0.15
                  min-expected: 100
                  segments: [country, channel]
                  fire-after: 1
                  resolve-after: 3
                silence:
                  after: 15m
                """)).model("fraud");
        assertThat(m.traffic()).isEqualTo(new TrafficSpec(Duration.ofMinutes(10), 3.5, 7, Duration.ofDays(1), 3, 0.15, 100,
                List.of("country", "channel"), 1, 3));
        assertThat(m.traffic().baselines("country")).isTrue();
        assertThat(m.silence().afterMillis()).isEqualTo(15 * 60_000L);
    }

    @Test
    void leftOutSectionsAreOff() {
        ModelSpec m = MonitorSpecLoader.parse(model("")).model("fraud");
        assertThat(m.traffic()).isNull();
        assertThat(m.silence()).isNull();
    }

    @Test
    void aBucketMustBeAMultipleOfTheWindowThatDividesADay() {
        assertThat(problemOf(model("traffic: {bucket: 7m}"))).isEqualTo("models[0] (fraud).traffic.bucket: must be a "
                + "multiple of the model window (5m) that divides a day evenly (e.g. 10m, 15m, 1h)");
        assertThat(problemOf(model("traffic: {bucket: 35m}"))).startsWith("models[0] (fraud).traffic.bucket:");
        assertThat(problemOf(model("traffic: {bucket: soon}"))).startsWith("models[0] (fraud).traffic.bucket:");
    }

    @Test
    void eachInvalidFieldIsNamed() {
        assertThat(problemsOf(model("""
                traffic:
                  deviations: [6, 4]
                  min-history: 12h
                  history: 13
                  min-relative-spread: 1.5
                  min-expected: -1
                  segments: [country, device]
                  fire-after: 0
                  resolve-after: x
                  every: 5m
                silence:
                  after: 0s
                  how: loud
                """))).containsExactlyInAnyOrder(
                "models[0] (fraud).traffic.every: unknown field (expected one of bucket, deviations, fire-after, history, "
                        + "min-expected, min-history, min-relative-spread, resolve-after, segments)",
                "models[0] (fraud).traffic.deviations: must be [warning, critical] robust deviations, positive, with the "
                        + "critical level at or above the warning level (e.g. [4, 6])",
                "models[0] (fraud).traffic.min-history: must be at least 1d: the shortest season compared with is a day",
                "models[0] (fraud).traffic.history: must be at most 12 past seasons",
                "models[0] (fraud).traffic.min-relative-spread: must be a number from 0 to below 1 (e.g. 0.1 for 10% of "
                        + "the expected count)",
                "models[0] (fraud).traffic.min-expected: must be a whole number of events per bucket, 0 or more",
                "models[0] (fraud).traffic.segments: 'device' is not a segment dimension of this model (expected one of "
                        + "country, channel)",
                "models[0] (fraud).traffic.fire-after: must be a whole number of at least 1",
                "models[0] (fraud).traffic.resolve-after: must be a whole number of at least 1",
                "models[0] (fraud).silence.how: unknown field (expected one of after)",
                "models[0] (fraud).silence.after: must be at least 1s");
    }

    @Test
    void sectionsMustBeMappings() {
        assertThat(problemsOf(model("traffic: on\nsilence: [10m]"))).containsExactly(
                "models[0] (fraud).traffic: must be a mapping (e.g. {bucket: 1h, deviations: [4, 6]})",
                "models[0] (fraud).silence: must be a mapping (e.g. {after: 10m})");
    }
}
