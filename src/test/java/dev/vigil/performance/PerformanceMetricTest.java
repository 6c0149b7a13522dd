package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.classified;
import static dev.vigil.performance.TestOutcomes.estimated;
import static dev.vigil.performance.TestOutcomes.scored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.Outcome;
import dev.vigil.performance.PerformanceMetric.Better;
import dev.vigil.spec.ModelTask;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The metric names: every key an accumulator reports is a {@link PerformanceMetric}, and each task reports its own set. */
class PerformanceMetricTest {

    private static Set<String> keysOf(ModelTask task, Outcome... labels) {
        PerformanceAccumulator acc = PerformanceAccumulator.create(task, "1", 0.5);
        for (Outcome label : labels) {
            acc.addPrediction();
            acc.addLabel(label);
        }
        return new TreeSet<>(acc.metrics().keySet());
    }

    @Test
    void eachTaskReportsItsMetricsUnderTheAgreedNames() {
        Set<String> common = Set.of("label_coverage", "label_delay_p50_ms", "label_delay_p90_ms", "label_delay_p99_ms");
        assertThat(keysOf(ModelTask.BINARY_CLASSIFICATION, scored(0.9, "1"), scored(0.2, "0"), scored(0.6, "0")))
                .containsExactlyInAnyOrderElementsOf(union(common,
                        "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "ece"));
        assertThat(keysOf(ModelTask.MULTICLASS_CLASSIFICATION, classified("a", "b")))
                .containsExactlyInAnyOrderElementsOf(union(common, "accuracy", "macro_f1"));
        assertThat(keysOf(ModelTask.REGRESSION, estimated(1, 2)))
                .containsExactlyInAnyOrderElementsOf(union(common, "mae", "rmse", "mean_error", "mape"));
        assertThat(keysOf(ModelTask.RANKING, TestOutcomes.label())).containsExactlyInAnyOrderElementsOf(common);
    }

    private static Set<String> union(Set<String> common, String... more) {
        Set<String> all = new TreeSet<>(common);
        all.addAll(Arrays.asList(more));
        return all;
    }

    @Test
    void everyKeyMapsBackToItsMetric() {
        assertThat(Arrays.stream(PerformanceMetric.values()).map(PerformanceMetric::key).collect(Collectors.toSet()))
                .hasSize(PerformanceMetric.values().length);
        for (PerformanceMetric metric : PerformanceMetric.values()) {
            assertThat(PerformanceMetric.fromKey(metric.key())).contains(metric);
        }
        assertThat(PerformanceMetric.fromKey("nope")).isEmpty();
        assertThat(PerformanceMetric.ROC_AUC.better()).isEqualTo(Better.HIGHER);
        assertThat(PerformanceMetric.LOG_LOSS.better()).isEqualTo(Better.LOWER);
        assertThat(PerformanceMetric.MEAN_ERROR.better()).isEqualTo(Better.CLOSER_TO_ZERO);
    }
}
