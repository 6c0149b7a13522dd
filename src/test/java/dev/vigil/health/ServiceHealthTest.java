package dev.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Evaluation;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Service SLOs on one window, against counts and quantiles computed by hand from the events. */
class ServiceHealthTest {
    private static final long MIN = 60_000;
    static final ModelSpec MODEL = MonitorSpecLoader.parse("""
            models:
              - name: m
                task: binary-classification
                segments:
                  - {name: region, values: [north, south]}
                features:
                  - {name: x, type: numeric, range: [0, 100]}
                  - {name: c, type: categorical, categories: [a, b]}
                service:
                  error-rate: [0.02, 0.05]
                  latency-p99-ms: [300, 800]
                  fallback-rate: [0.05, 0.1]
                  min-events: 50
                  fire-after: 2
                  resolve-after: 4
            """).model("m");

    private static Map<String, Evaluation> byKind(SegmentProfile p) {
        List<Evaluation> out = WindowChecks.evaluate(MODEL, "v1", "region=south", 0, MIN, p);
        return out.stream().collect(Collectors.toMap(e -> e.kind, Function.identity()));
    }

    @Test
    void errorRateLatencyAndFallbackRateAgainstTheirLimits() {
        // 200 requests: 12 failed, 3 answered by a fallback, latencies 5, 10, ..., 1000 ms.
        double[] latencies = new double[200];
        SegmentProfile p = new Window(MODEL).add(200, (e, i) -> {
            e.error = i % 16 == 5 && i < 192;
            e.fallback = i == 10 || i == 20 || i == 30;
            e.latencyMs = 5.0 * (i + 1);
            latencies[i] = e.latencyMs;
        }).profile();
        assertThat(p.errors()).as("5, 21, ..., 181").isEqualTo(12);
        Arrays.sort(latencies);
        double p99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1]; // the inclusive rank-0.99 value

        Map<String, Evaluation> e = byKind(p);

        assertThat(e.keySet()).containsExactlyInAnyOrder("error_rate", "latency_p99", "fallback_rate");
        Evaluation errors = e.get("error_rate");
        assertThat(errors.severity).isEqualTo("critical");
        assertThat(errors.score).isEqualTo(12 / 200.0);
        assertThat(errors.threshold).isEqualTo(0.05);
        assertThat(errors.explanation).isEqualTo("error rate 6.0% (12 of 200 requests failed) in the 1m window to 00:01 UTC "
                + "in segment region=south breaches the SLO of 5.0% (critical)");
        Evaluation latency = e.get("latency_p99");
        assertThat(p99).isEqualTo(990.0);
        assertThat(latency.score).isEqualTo(p99);
        assertThat(latency.severity).isEqualTo("critical");
        assertThat(latency.threshold).isEqualTo(800.0);
        assertThat(latency.explanation).isEqualTo("p99 latency 990 ms over 200 requests in the 1m window to 00:01 UTC "
                + "in segment region=south breaches the SLO of 800 ms (critical)");
        Evaluation fallbacks = e.get("fallback_rate");
        assertThat(fallbacks.severity).isNull();
        assertThat(fallbacks.score).isEqualTo(3 / 200.0);
        assertThat(fallbacks.threshold).as("the warning level of a clean result").isEqualTo(0.05);
        assertThat(fallbacks.explanation).isEqualTo("fallback rate 1.5% (3 of 200 requests answered by a fallback instead of "
                + "the model) in the 1m window to 00:01 UTC in segment region=south is within the SLO (warning above 5.0%)");
        for (Evaluation ev : e.values()) {
            assertThat(ev.model).isEqualTo("m");
            assertThat(ev.modelVersion).isEqualTo("v1");
            assertThat(ev.segment).isEqualTo("region=south");
            assertThat(ev.feature).isEmpty();
            assertThat(ev.evaluatedAt).as("the window end").isEqualTo(MIN);
            assertThat(ev.fireAfter).isEqualTo(2);
            assertThat(ev.resolveAfter).isEqualTo(4);
        }
    }

    @Test
    void aLimitIsBreachedOnlyAboveIt() {
        // 4 of 200 = exactly the warning level (clean), 10 of 200 = exactly critical (a warning), 11 of 200 critical.
        assertThat(byKind(errors(200, 4)).get("error_rate").severity).isNull();
        assertThat(byKind(errors(200, 5)).get("error_rate").severity).isEqualTo("warning");
        assertThat(byKind(errors(200, 10)).get("error_rate").severity).isEqualTo("warning");
        assertThat(byKind(errors(200, 11)).get("error_rate").severity).isEqualTo("critical");
        assertThat(byKind(errors(200, 11)).get("error_rate").score).isEqualTo(11 / 200.0);
    }

    @Test
    void aLatencySloIsJudgedOnTheP99OfTheWindowNotOnASingleSlowRequest() {
        // 100 requests: one at 5000 ms is the top 1% and does not move the p99 (the 99th of 100 values).
        SegmentProfile p = new Window(MODEL).add(100, (e, i) -> e.latencyMs = i == 0 ? 5000 : 100 + i).profile();
        Evaluation latency = byKind(p).get("latency_p99");
        assertThat(latency.score).isEqualTo(199.0);
        assertThat(latency.severity).isNull();
        assertThat(latency.explanation).endsWith("is within the SLO (warning above 300 ms)");

        // Two slow requests of 100 are 2%: now the p99 is one of them.
        SegmentProfile slow = new Window(MODEL).add(100, (e, i) -> e.latencyMs = i < 2 ? 500 : 100 + i).profile();
        assertThat(byKind(slow).get("latency_p99").score).isEqualTo(500.0);
        assertThat(byKind(slow).get("latency_p99").severity).isEqualTo("warning");
        assertThat(byKind(slow).get("latency_p99").threshold).isEqualTo(300.0);
    }

    @Test
    void fewerEventsThanMinEventsAreNotEvaluated() {
        assertThat(byKind(errors(49, 49))).isEmpty();
        assertThat(byKind(errors(50, 0))).containsOnlyKeys("error_rate", "latency_p99", "fallback_rate");
    }

    @Test
    void latencyNeedsMinEventsRequestsWithALatency() {
        SegmentProfile p = new Window(MODEL).add(60, (e, i) -> e.latencyMs = i < 11 ? Double.NaN : 20).profile();

        assertThat(p.latency().count()).isEqualTo(49);
        assertThat(byKind(p)).containsOnlyKeys("error_rate", "fallback_rate");
    }

    @Test
    void aModelWithoutServiceOrChecksGetsNoEvaluations() {
        ModelSpec plain = MonitorSpecLoader.parse("""
                models:
                  - {name: m, task: regression, features: [{name: x, type: numeric}, {name: c, type: categorical}]}
                """).model("m");
        SegmentProfile p = new Window(plain).add(500, (e, i) -> e.error = true).profile();

        assertThat(WindowChecks.evaluate(plain, "v1", "all", 0, MIN, p)).isEmpty();
    }

    private static SegmentProfile errors(int events, int errors) {
        return new Window(MODEL).add(events, (e, i) -> e.error = i < errors).profile();
    }

}
