package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detection figures per incident kind, and false alarms per model-day over history and scenario. */
class DetectionBenchTest {

    private static Map<String, Object> incident(String kind, Long delaySeconds) {
        Map<String, Object> row = new HashMap<>();
        row.put("kind", kind);
        row.put("detected_at", delaySeconds == null ? null : "2026-11-27T08:00:00Z");
        row.put("delay_seconds", delaySeconds);
        return row;
    }

    @Test
    void aggregatesEveryKindAndCountsTheHistoryInModelDays() {
        DetectionBench bench = new DetectionBench(new DetectionBench.Options(List.of(1L, 2L), Duration.ofHours(6),
                Duration.ofSeconds(60), null, Path.of("unused"), Duration.ofHours(24)));
        DetectionBench.RunResult one = new DetectionBench.RunResult(1, 1000, 3,
                List.of(incident("concept_drift", 1800L), incident("override_rise", null), incident("error_spike", 300L)),
                List.of(Map.of("model", "fraud-scorer", "segment", "all", "feature", "roc_auc", "kind", "performance")));
        DetectionBench.RunResult two = new DetectionBench.RunResult(2, 1000, 3,
                List.of(incident("concept_drift", 2400L), incident("override_rise", 600L), incident("error_spike", null)),
                List.of());
        DetectionBench.Report report = bench.aggregate(List.of(one, two));

        Map<String, DetectionBench.KindResult> kinds = new HashMap<>();
        report.kinds().forEach(k -> kinds.put(k.kind(), k));
        assertThat(kinds).containsOnlyKeys("concept_drift", "override_rise", "error_spike");
        assertThat(kinds.get("concept_drift").detected()).isEqualTo(2);
        assertThat(kinds.get("concept_drift").medianDelaySeconds()).isEqualTo(2100.0);
        assertThat(kinds.get("override_rise").detectionRate()).isEqualTo(0.5);
        assertThat(kinds.get("override_rise").delaysSeconds()).containsExactly(600L);
        assertThat(kinds.get("error_spike").runs()).isEqualTo(2);
        // 2 runs x 3 models x (24 h of history + 6 h of scenario) = 7.5 model-days
        assertThat(report.modelDays()).isCloseTo(7.5, within(1e-12));
        assertThat(report.unmatchedAlerts()).isEqualTo(1);
        assertThat(report.falseAlarmsPerModelDay()).isCloseTo(1 / 7.5, within(1e-12));
        assertThat(DetectionBench.table(report)).contains("concept_drift", "override_rise", "7.50 model-days",
                "1 x fraud-scorer all roc_auc performance");
    }
}
