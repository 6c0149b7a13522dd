package dev.vigil.spec;

import static dev.vigil.spec.MonitorSpecLoaderTest.problemOf;
import static dev.vigil.spec.MonitorSpecLoaderTest.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code adoption} and {@code performance} sections of a model's spec. */
class OutcomeSpecTest {
    private static String model(String task, String labels, String section) {
        return """
                models:
                  - name: m
                    task: %s
                    window: 5m
                    prediction:
                      labels: %s
                %s""".formatted(task, labels, section.indent(4));
    }

    private static ModelSpec load(String task, String labels, String section) {
        return MonitorSpecLoader.parse(model(task, labels, section)).model("m");
    }

    @Test
    void adoptionDefaults() {
        AdoptionSpec a = load("binary-classification", "[yes, no]", "adoption: {}").adoption();
        assertThat(a.window()).isEqualTo(Duration.ofHours(1));
        assertThat(a.trailing()).isTrue();
        assertThat(a.trailingWindows()).isEqualTo(24);
        assertThat(a.overrideRate()).isNull();
        assertThat(a.warningMargin()).isEqualTo(0.05);
        assertThat(a.criticalMargin()).isEqualTo(0.15);
        assertThat(a.minFeedback()).isEqualTo(100);
        assertThat(a.evaluateAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(a.fireAfter()).isEqualTo(2);
        assertThat(a.resolveAfter()).isEqualTo(2);
        assertThat(load("regression", "[]", "").adoption()).isNull();
    }

    @Test
    void adoptionWithAConfiguredBaseline() {
        AdoptionSpec a = load("binary-classification", "[yes, no]", """
                adoption:
                  window: 15m
                  baseline: {override-rate: 0.05, ignore-rate: 0.1}
                  margin: {warning: 0.1, critical: 0.2}
                  min-feedback: 50
                  evaluate-after: 10m
                  fire-after: 1
                  resolve-after: 3
                """).adoption();
        assertThat(a.trailing()).isFalse();
        assertThat(a.overrideRate()).isEqualTo(0.05);
        assertThat(a.ignoreRate()).isEqualTo(0.1);
        assertThat(a.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(a.warningMargin()).isEqualTo(0.1);
        assertThat(a.criticalMargin()).isEqualTo(0.2);
        assertThat(a.minFeedback()).isEqualTo(50);
        assertThat(a.evaluateAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.fireAfter()).isEqualTo(1);
        assertThat(a.resolveAfter()).isEqualTo(3);
        assertThat(load("binary-classification", "[yes, no]", "adoption: {baseline: {trailing: 6}}").adoption().trailingWindows())
                .isEqualTo(6);
    }

    @Test
    void adoptionMistakesNameTheField() {
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {window: 7m}")))
                .isEqualTo("models[0] (m).adoption.window: must be a positive multiple of the model window (5m)");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {baseline: {override-rate: 5}}")))
                .isEqualTo("models[0] (m).adoption.baseline.override-rate: must be a number from 0 to 1");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {baseline: {trailing: 3, ignore-rate: 0.1}}")))
                .isEqualTo("models[0] (m).adoption.baseline: either trailing or configured rates, not both");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {margin: {warning: 0.2, critical: 0.1}}")))
                .isEqualTo("models[0] (m).adoption.margin: warning must be above 0 and critical at or above warning");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {min-feedback: 0}")))
                .isEqualTo("models[0] (m).adoption.min-feedback: must be a whole number of at least 1");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {override-margin: 0.1}")))
                .startsWith("models[0] (m).adoption.override-margin: unknown field");
        assertThat(problemOf(model("binary-classification", "[yes, no]", "adoption: {evaluate-after: soon}")))
                .startsWith("models[0] (m).adoption.evaluate-after: 'soon' is not a duration");
    }

    @Test
    void performanceDefaultsTakeThePositiveLabelFromThePrediction() {
        PerformanceSpec p = load("binary-classification", "[fraud, legit]", "performance: {reference: {roc_auc: 0.86}}").performance();
        assertThat(p.task()).isEqualTo(ModelTask.BINARY_CLASSIFICATION);
        assertThat(p.window()).isEqualTo(Duration.ofHours(1));
        assertThat(p.positiveLabel()).isEqualTo("fraud");
        assertThat(p.threshold()).isEqualTo(0.5);
        assertThat(p.reference()).isEqualTo(Map.of("roc_auc", 0.86));
        assertThat(p.margin()).isEqualTo(Map.of("roc_auc", 0.05));
        assertThat(p.minLabels()).isEqualTo(100);
        assertThat(p.evaluateAfter()).isEqualTo(Duration.ofHours(6));
        assertThat(p.minCoverage()).isNull();
        assertThat(p.fireAfter()).isEqualTo(2);
        assertThat(p.resolveAfter()).isEqualTo(2);
    }

    @Test
    void performanceWithEveryField() {
        PerformanceSpec p = load("binary-classification", "[fraud, legit]", """
                performance:
                  window: 30m
                  positive-label: legit
                  threshold: 0.7
                  reference: {roc_auc: 0.86, accuracy: 0.93, log_loss: 0.2}
                  margin: {roc_auc: 0.03, log_loss: 0.1}
                  min-labels: 200
                  evaluate-after: 2h
                  coverage: {min: 0.5}
                  fire-after: 1
                  resolve-after: 1
                """).performance();
        assertThat(p.positiveLabel()).isEqualTo("legit");
        assertThat(p.threshold()).isEqualTo(0.7);
        assertThat(p.reference()).isEqualTo(Map.of("roc_auc", 0.86, "accuracy", 0.93, "log_loss", 0.2));
        assertThat(p.margin()).isEqualTo(Map.of("roc_auc", 0.03, "accuracy", 0.05, "log_loss", 0.1));
        assertThat(p.minLabels()).isEqualTo(200);
        assertThat(p.evaluateAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(p.minCoverage()).isEqualTo(0.5);
        assertThat(load("regression", "[]", "performance: {reference: {mae: 12000}, margin: 3000}").performance().margin())
                .isEqualTo(Map.of("mae", 3000.0));
        assertThat(load("ranking", "[]", "performance: {coverage: {min: 0.2}}").performance().minCoverage()).isEqualTo(0.2);
    }

    @Test
    void performanceMetricsAreCheckedAgainstTheTask() {
        assertThat(problemOf(model("regression", "[]", "performance: {reference: {roc_auc: 0.8}}")))
                .isEqualTo("models[0] (m).performance.reference.roc_auc: not a metric of regression models "
                        + "(expected one of mae, rmse, mean_error, mape)");
        assertThat(problemOf(model("ranking", "[]", "performance: {reference: {accuracy: 0.8}}")))
                .isEqualTo("models[0] (m).performance.reference.accuracy: not a metric of ranking models "
                        + "(they have label coverage and label delay only)");
        assertThat(problemOf(model("regression", "[]", "performance: {reference: {rmse: 10}}")))
                .isEqualTo("models[0] (m).performance.margin.rmse: is required: the allowed worsening of rmse in its own units");
        assertThat(problemOf(model("multiclass-classification", "[a, b, c]", "performance: {threshold: 0.3}")))
                .isEqualTo("models[0] (m).performance.threshold: only binary-classification models have a score threshold");
    }

    @Test
    void performanceMistakesNameTheField() {
        assertThat(problemOf(model("binary-classification", "[fraud, legit]", "performance: {positive-label: spam}")))
                .isEqualTo("models[0] (m).performance.positive-label: 'spam' is not one of prediction.labels [fraud, legit]");
        assertThat(problemOf(model("binary-classification", "[]", "performance: {}")))
                .isEqualTo("models[0] (m).performance.positive-label: is required when prediction.labels is not set");
        assertThat(problemOf(model("binary-classification", "[fraud, legit]", "performance: {margin: {f1: 0.1}}")))
                .isEqualTo("models[0] (m).performance.margin.f1: has no reference value");
        assertThat(problemOf(model("binary-classification", "[fraud, legit]", "performance: {coverage: {min: 2}}")))
                .isEqualTo("models[0] (m).performance.coverage.min: must be a number from 0 to 1");
        assertThat(problemOf(model("binary-classification", "[fraud, legit]", "performance: {window: 2m}")))
                .isEqualTo("models[0] (m).performance.window: must be a positive multiple of the model window (5m)");
        assertThat(problemsOf(model("binary-classification", "[fraud, legit]",
                "performance: {reference: {accuracy: high}, min-labels: -1, evaluate-after: 2 days}")))
                .containsExactlyInAnyOrder(
                        "models[0] (m).performance.reference.accuracy: must be a number",
                        "models[0] (m).performance.min-labels: must be a whole number of at least 1",
                        "models[0] (m).performance.evaluate-after: '2 days' is not a duration; use a number and a unit: ms, s, m, h or d (e.g. 5m)");
    }

    @Test
    void worseningHasTheMetricsDirection() {
        assertThat(PerformanceSpec.worsening("roc_auc", 0.80, 0.86)).isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(PerformanceSpec.worsening("log_loss", 0.30, 0.20)).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(PerformanceSpec.worsening("mean_error", -5, 1)).isEqualTo(4);
        assertThat(PerformanceSpec.worsening("accuracy", 0.95, 0.90)).isNegative();
    }
}
