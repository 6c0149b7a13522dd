package dev.vigil.spec;

import static dev.vigil.spec.MonitorSpecLoaderTest.problemOf;
import static dev.vigil.spec.MonitorSpecLoaderTest.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code service:} and {@code checks:} sections: defaults, overrides and every validation message. */
class ServiceAndChecksSpecTest {
    private static final String MODEL = """
            version: 1
            models:
              - name: churn
                task: binary-classification
                features:
                  - {name: tenure, type: numeric, range: [0, 600]}
                  - {name: plan, type: categorical, categories: [free, pro]}
                prediction:
                  labels: [churn, stay]
            """;
    private static final String AT = "models[0] (churn)";

    private static ModelSpec model(String sections) {
        return MonitorSpecLoader.parse(MODEL + sections.stripIndent().indent(4)).model("churn");
    }

    private static String problem(String sections) {
        return problemOf(MODEL + sections.stripIndent().indent(4));
    }

    @Test
    void withoutTheSectionsNothingIsChecked() {
        ModelSpec m = MonitorSpecLoader.parse(MODEL).model("churn");

        assertThat(m.service()).isNull();
        assertThat(m.checks()).isNull();
        assertThat(m.needsWindowProfiles()).isFalse();
    }

    @Test
    void anEmptyServiceSectionChecksErrorAndFallbackRatesWithTheDefaults() {
        ServiceSpec s = model("service: {}").service();

        assertThat(s.errorRate()).isEqualTo(new DriftSpec.Threshold(0.02, 0.05));
        assertThat(s.fallbackRate()).isEqualTo(new DriftSpec.Threshold(0.05, 0.10));
        assertThat(s.latencyP99Ms()).as("no latency SLO unless the spec sets one").isNull();
        assertThat(s.minEvents()).isEqualTo(100);
        assertThat(s.fireAfter()).isEqualTo(3);
        assertThat(s.resolveAfter()).isEqualTo(3);
        assertThat(model("service:").service()).as("a bare key also turns the defaults on").isEqualTo(s);
    }

    @Test
    void everyServiceFieldIsRead() {
        ServiceSpec s = model("""
                service:
                  error-rate: [0.01, 0.1]
                  latency-p99-ms: [300, 800]
                  fallback-rate: off
                  min-events: 50
                  fire-after: 2
                  resolve-after: 4
                """).service();

        assertThat(s).isEqualTo(new ServiceSpec(new DriftSpec.Threshold(0.01, 0.1), new DriftSpec.Threshold(300, 800),
                null, 50, 2, 4));
    }

    @Test
    void serviceProblemsNameTheModelAndTheField() {
        assertThat(problem("service: {error-rate: [0.1, 0.05]}")).isEqualTo(AT
                + ".service.error-rate: must be [warning, critical] with 0 <= warning <= critical <= 1 (shares of requests, e.g. 0.02)");
        assertThat(problem("service: {error-rate: [2, 5]}")).isEqualTo(AT
                + ".service.error-rate: must be [warning, critical] with 0 <= warning <= critical <= 1 (shares of requests, e.g. 0.02)");
        assertThat(problem("service: {latency-p99-ms: 500}")).isEqualTo(AT
                + ".service.latency-p99-ms: must be [warning, critical], two numbers (milliseconds), or off");
        assertThat(problem("service: {latency-p99-ms: [-1, 500]}")).isEqualTo(AT
                + ".service.latency-p99-ms: must be [warning, critical] with 0 <= warning <= critical (milliseconds)");
        assertThat(problem("service: {min-events: 0}")).isEqualTo(AT + ".service.min-events: must be a whole number of at least 1");
        assertThat(problem("service: {fire-after: 1.5}")).isEqualTo(AT + ".service.fire-after: must be a whole number of at least 1");
        assertThat(problem("service: {latency-p95-ms: [1, 2]}")).isEqualTo(AT + ".service.latency-p95-ms: unknown field (expected one of "
                + "error-rate, fallback-rate, fire-after, latency-p99-ms, min-events, resolve-after)");
        assertThat(problem("service: [1]")).isEqualTo(AT
                + ".service: must be a mapping (e.g. {error-rate: [0.02, 0.05], latency-p99-ms: [300, 800]})");
    }

    @Test
    void anEmptyChecksSectionChecksEveryRateAndStuckFeaturesWithTheDefaults() {
        ChecksSpec c = model("checks: {}").checks();

        assertThat(c.limit("tenure", "missing-rate")).isEqualTo(new DriftSpec.Threshold(0.05, 0.2));
        assertThat(c.limit("tenure", "out-of-range-rate")).isEqualTo(new DriftSpec.Threshold(0.05, 0.2));
        assertThat(c.limit("plan", "type-mismatch-rate")).isEqualTo(new DriftSpec.Threshold(0.01, 0.05));
        assertThat(c.limit("plan", "unseen-rate")).isEqualTo(new DriftSpec.Threshold(0.05, 0.2));
        assertThat(c.stuckSeverity("tenure")).isEqualTo("warning");
        assertThat(c.scoreMean()).isNull();
        assertThat(c.labelShare()).isEmpty();
        assertThat(c.minEvents()).isEqualTo(100);
        assertThat(c.fireAfter()).isEqualTo(3);
        assertThat(c.resolveAfter()).isEqualTo(3);
        assertThat(model("checks: {}").needsWindowProfiles()).isTrue();
    }

    @Test
    void featureOverridesReplaceTheModelLimitsAndCanAllowAConstant() {
        ChecksSpec c = model("""
                checks:
                  missing-rate: [0.01, 0.02]
                  type-mismatch-rate: off
                  stuck-feature: critical
                  features:
                    tenure: {missing-rate: [0.3, 0.5], stuck: false}
                    plan: {unseen-rate: off}
                  score-mean: {warning: [0.1, 0.3], critical: [0.05, 0.5]}
                  label-share:
                    churn: [0.02, 0.2]
                  min-events: 20
                  fire-after: 1
                  resolve-after: 2
                """).checks();

        assertThat(c.limit("tenure", "missing-rate")).isEqualTo(new DriftSpec.Threshold(0.3, 0.5));
        assertThat(c.limit("plan", "missing-rate")).isEqualTo(new DriftSpec.Threshold(0.01, 0.02));
        assertThat(c.limit("plan", "type-mismatch-rate")).as("off model-wide").isNull();
        assertThat(c.limit("plan", "unseen-rate")).as("off for the feature").isNull();
        assertThat(c.limit("tenure", "out-of-range-rate")).as("default kept").isEqualTo(new DriftSpec.Threshold(0.05, 0.2));
        assertThat(c.stuckSeverity("tenure")).isNull();
        assertThat(c.stuckSeverity("plan")).isEqualTo("critical");
        assertThat(c.scoreMean()).isEqualTo(new ChecksSpec.Band(0.1, 0.3, 0.05, 0.5));
        assertThat(c.labelShare()).containsExactly(java.util.Map.entry("churn", new ChecksSpec.Band(0.02, 0.2, null, null)));
        assertThat(c.minEvents()).isEqualTo(20);
        assertThat(c.fireAfter()).isEqualTo(1);
        assertThat(c.resolveAfter()).isEqualTo(2);
    }

    @Test
    void aBandGivesAWarningOutsideAndCriticalBeyondItsCriticalBounds() {
        ChecksSpec.Band band = new ChecksSpec.Band(0.1, 0.3, 0.05, 0.5);

        assertThat(band.severity(0.1)).as("bounds are inside").isNull();
        assertThat(band.severity(0.3)).isNull();
        assertThat(band.severity(0.09)).isEqualTo("warning");
        assertThat(band.crossed(0.09)).isEqualTo(0.1);
        assertThat(band.severity(0.31)).isEqualTo("warning");
        assertThat(band.crossed(0.31)).isEqualTo(0.3);
        assertThat(band.severity(0.04)).isEqualTo("critical");
        assertThat(band.crossed(0.04)).isEqualTo(0.05);
        assertThat(band.severity(0.51)).isEqualTo("critical");
        assertThat(band.crossed(0.51)).isEqualTo(0.5);
        assertThat(new ChecksSpec.Band(0.1, 0.3, null, null).severity(0.9)).isEqualTo("warning");
    }

    @Test
    void checksProblemsNameTheModelAndTheField() {
        assertThat(problem("checks: {features: {amount: {stuck: false}}}"))
                .isEqualTo(AT + ".checks.features.amount: not a feature of this model");
        assertThat(problem("checks: {features: {plan: {out-of-range-rate: [0.1, 0.2]}}}"))
                .isEqualTo(AT + ".checks.features.plan.out-of-range-rate: only numeric features have a range (use unseen-rate for categories)");
        assertThat(problem("checks: {features: {tenure: {unseen-rate: [0.1, 0.2]}}}"))
                .isEqualTo(AT + ".checks.features.tenure.unseen-rate: only categorical features have unseen categories");
        assertThat(problem("checks: {features: {tenure: {stuck: no-way}}}"))
                .isEqualTo(AT + ".checks.features.tenure.stuck: must be true or false (false: a constant value is expected)");
        assertThat(problem("checks: {features: {tenure: {missing: [0.1, 0.2]}}}"))
                .isEqualTo(AT + ".checks.features.tenure.missing: unknown field (expected one of "
                        + "missing-rate, out-of-range-rate, stuck, type-mismatch-rate, unseen-rate)");
        assertThat(problem("checks: {missing-rate: [0.3, 0.2]}"))
                .isEqualTo(AT + ".checks.missing-rate: must be [warning, critical] with 0 <= warning <= critical <= 1 (shares, e.g. 0.05)");
        assertThat(problem("checks: {stuck-feature: sometimes}"))
                .isEqualTo(AT + ".checks.stuck-feature: must be warning, critical or off");
        assertThat(problem("checks: {score-mean: [0.5, 0.1]}"))
                .isEqualTo(AT + ".checks.score-mean: must be [low, high] with low <= high");
        assertThat(problem("checks: {score-mean: {warning: [0.1, 0.3], critical: [0.2, 0.5]}}"))
                .isEqualTo(AT + ".checks.score-mean.critical: must contain the warning band [0.1, 0.3]");
        assertThat(problem("checks: {score-mean: {critical: [0.2, 0.5]}}"))
                .isEqualTo(AT + ".checks.score-mean.warning: is required: [low, high]");
        assertThat(problem("checks: {label-share: {churned: [0.1, 0.2]}}"))
                .isEqualTo(AT + ".checks.label-share.churned: not one of the model's prediction.labels [churn, stay]");
        assertThat(problem("checks: {label-share: {churn: [0.1, 1.5]}}"))
                .isEqualTo(AT + ".checks.label-share.churn: must be [low, high] with low <= high, both between 0 and 1");
        assertThat(problem("checks: {label-share: [churn]}"))
                .isEqualTo(AT + ".checks.label-share: must be a mapping of predicted label to its band, e.g. {fraud: [0.001, 0.05]}");
        assertThat(problem("checks: {min-events: -3}")).isEqualTo(AT + ".checks.min-events: must be a whole number of at least 1");
    }

    @Test
    void allProblemsOfBothSectionsAreReportedTogether() {
        assertThat(problemsOf(MODEL + """
                    service: {error-rate: [0.5, 0.1], resolve-after: 0}
                    checks: {unseen-rate: 3, fire-after: 0}
                """)).containsExactly(
                AT + ".service.error-rate: must be [warning, critical] with 0 <= warning <= critical <= 1 (shares of requests, e.g. 0.02)",
                AT + ".service.resolve-after: must be a whole number of at least 1",
                AT + ".checks.unseen-rate: must be [warning, critical], two numbers (shares, e.g. 0.05), or off",
                AT + ".checks.fire-after: must be a whole number of at least 1");
    }
}
