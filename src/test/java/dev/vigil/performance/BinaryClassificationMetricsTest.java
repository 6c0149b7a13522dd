package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.classified;
import static dev.vigil.performance.TestOutcomes.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary classification metrics on small labeled sets, against the textbook definitions. */
class BinaryClassificationMetricsTest {
    private static final double EXACT = 1e-12;

    private static PerformanceAccumulator fraudModel(double threshold) {
        return PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", threshold);
    }

    private static PerformanceAccumulator accumulate(double threshold, double[] scores, boolean[] fraud) {
        PerformanceAccumulator acc = fraudModel(threshold);
        for (int i = 0; i < scores.length; i++) {
            acc.addPrediction();
            acc.addLabel(scored(scores[i], fraud[i] ? "fraud" : "legit"));
        }
        return acc;
    }

    @Test
    void everyMetricOfASmallSetWithTiedScoresMatchesTheDefinitions() {
        double[] scores = {0.9, 0.8, 0.8, 0.7, 0.6, 0.55, 0.4, 0.4, 0.3, 0.1};
        boolean[] fraud = {true, false, true, false, true, false, false, true, false, false};
        PerformanceAccumulator acc = accumulate(0.5, scores, fraud);

        Map<String, Double> m = acc.metrics();
        // At 0.5: TP = 0.9, 0.8, 0.6; FP = 0.8, 0.7, 0.55; TN = 0.4, 0.3, 0.1; FN = 0.4.
        assertThat(m.get("accuracy")).isEqualTo(6 / 10.0);
        assertThat(m.get("precision")).isEqualTo(3 / 6.0);
        assertThat(m.get("recall")).isEqualTo(3 / 4.0);
        assertThat(m.get("f1")).isCloseTo(2 * 0.5 * 0.75 / (0.5 + 0.75), within(EXACT));
        // Positives beat 6 + 5.5 (tie at 0.8) + 4 + 2.5 (tie at 0.4) of 4 x 6 pairs.
        assertThat(m.get("roc_auc")).isEqualTo(18 / 24.0).isEqualTo(ExactMetrics.rocAuc(scores, fraud));
        assertThat(m.get("log_loss")).isCloseTo(ExactMetrics.logLoss(scores, fraud, 1e-15), within(EXACT));
        assertThat(m.get("brier")).isCloseTo(ExactMetrics.brier(scores, fraud), within(EXACT));
        assertThat(m.get("ece")).isCloseTo(ExactMetrics.expectedCalibrationError(scores, fraud), within(EXACT));
        assertThat(m.get("label_coverage")).isEqualTo(1.0);
        assertThat(acc.evaluatedLabels()).isEqualTo(10);
        assertThat(m).containsOnlyKeys("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "ece",
                "label_coverage", "label_delay_p50_ms", "label_delay_p90_ms", "label_delay_p99_ms");
    }

    @Test
    void brierAndCalibrationOfAHandWorkedExample() {
        // Bin [0.2, 0.3): scores 0.2, 0.2, one positive -> |0.2 - 0.5| = 0.3 for 2 of 4.
        // Bin [0.9, 1.0]: scores 0.9, 1.0, both positive -> |0.95 - 1| = 0.05 for 2 of 4.
        double[] scores = {0.2, 0.2, 0.9, 1.0};
        boolean[] fraud = {true, false, true, true};
        Map<String, Double> m = accumulate(0.5, scores, fraud).metrics();
        assertThat(m.get("ece")).isCloseTo(0.5 * 0.3 + 0.5 * 0.05, within(EXACT));
        assertThat(m.get("brier")).isCloseTo((0.64 + 0.04 + 0.01 + 0) / 4, within(EXACT));
        // The positive at 0.2 ties the negative (one half); 0.9 and 1.0 beat it.
        assertThat(m.get("roc_auc")).isEqualTo((0.5 + 1 + 1) / 3);
    }

    @Test
    void aScoreEqualToTheThresholdPredictsThePositiveLabel() {
        Map<String, Double> m = accumulate(0.7, new double[] {0.7, 0.6999}, new boolean[] {true, false}).metrics();
        assertThat(m.get("precision")).isEqualTo(1.0);
        assertThat(m.get("recall")).isEqualTo(1.0);
        assertThat(m.get("accuracy")).isEqualTo(1.0);
    }

    @Test
    void withoutPositivesAucAndRecallAreAbsentAndPrecisionIsAbsentWhenNothingIsPredictedPositive() {
        Map<String, Double> allPredictedNegative =
                accumulate(0.5, new double[] {0.1, 0.2, 0.3}, new boolean[] {false, false, false}).metrics();
        assertThat(allPredictedNegative).doesNotContainKeys("roc_auc", "recall", "precision", "f1");
        assertThat(allPredictedNegative.get("accuracy")).isEqualTo(1.0);
        assertThat(allPredictedNegative.get("log_loss"))
                .isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.7)) / 3, within(EXACT));

        Map<String, Double> falseAlarm = accumulate(0.5, new double[] {0.1, 0.8}, new boolean[] {false, false}).metrics();
        assertThat(falseAlarm).doesNotContainKeys("roc_auc", "recall");
        assertThat(falseAlarm.get("precision")).isEqualTo(0.0);
        assertThat(falseAlarm.get("f1")).isEqualTo(0.0);
        assertThat(falseAlarm.get("accuracy")).isEqualTo(0.5);
    }

    @Test
    void withoutNegativesAucIsAbsent() {
        Map<String, Double> m = accumulate(0.5, new double[] {0.9, 0.4, 0.6}, new boolean[] {true, true, true}).metrics();
        assertThat(m).doesNotContainKey("roc_auc");
        assertThat(m.get("precision")).isEqualTo(1.0);
        assertThat(m.get("recall")).isEqualTo(2 / 3.0);
        assertThat(m.get("f1")).isEqualTo(4 / 5.0);
        assertThat(m.get("brier")).isCloseTo((0.01 + 0.36 + 0.16) / 3, within(EXACT));
    }

    @Test
    void aSingleExample() {
        Map<String, Double> m = accumulate(0.5, new double[] {0.25}, new boolean[] {true}).metrics();
        assertThat(m.get("accuracy")).isEqualTo(0.0);
        assertThat(m.get("recall")).isEqualTo(0.0);
        assertThat(m.get("f1")).isEqualTo(0.0);
        assertThat(m).doesNotContainKeys("precision", "roc_auc");
        assertThat(m.get("log_loss")).isCloseTo(-Math.log(0.25), within(EXACT));
        assertThat(m.get("brier")).isEqualTo(0.5625);
        assertThat(m.get("ece")).isEqualTo(0.75);
    }

    @Test
    void anEmptyAccumulatorHasNoMetrics() {
        assertThat(fraudModel(0.5).metrics()).isEmpty();
    }

    @Test
    void aNanScoreFallsBackToThePredictedLabelAndStaysOutOfTheScoreMetrics() {
        PerformanceAccumulator acc = fraudModel(0.5);
        acc.addLabel(scored(0.8, "fraud"));
        acc.addLabel(scored(0.3, "legit"));
        Outcome labelOnly = classified("fraud", "legit");
        acc.addLabel(labelOnly);
        Outcome nothingPredicted = scored(Double.NaN, "fraud");
        acc.addLabel(nothingPredicted);

        Map<String, Double> m = acc.metrics();
        assertThat(acc.labels()).isEqualTo(4);
        assertThat(acc.evaluatedLabels()).isEqualTo(3);
        assertThat(((BinaryClassificationPerformance) acc).scoredLabels()).isEqualTo(2);
        assertThat(m.get("accuracy")).isEqualTo(2 / 3.0);
        assertThat(m.get("precision")).isEqualTo(1 / 2.0);
        assertThat(m.get("roc_auc")).isEqualTo(1.0);
        assertThat(m.get("log_loss")).isCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, within(EXACT));
    }

    @Test
    void aScoreOutsideZeroToOneDecidesTheClassButIsNotAProbability() {
        PerformanceAccumulator acc = fraudModel(0.5);
        acc.addLabel(scored(3.5, "fraud"));
        acc.addLabel(scored(-1, "legit"));
        acc.addLabel(scored(0.2, "legit"));
        Map<String, Double> m = acc.metrics();
        assertThat(m.get("accuracy")).isEqualTo(1.0);
        assertThat(m).doesNotContainKey("roc_auc");
        assertThat(m.get("brier")).isCloseTo(0.04, within(EXACT));
        assertThat(((BinaryClassificationPerformance) acc).scoresOutOfRange()).isEqualTo(2);
    }

    @Test
    void aLabelTheModelDoesNotKnowIsANegative() {
        PerformanceAccumulator acc = fraudModel(0.5);
        acc.addLabel(scored(0.9, "fraud"));
        acc.addLabel(scored(0.6, "chargeback-reversed"));
        acc.addLabel(scored(0.1, "legit"));
        Map<String, Double> m = acc.metrics();
        assertThat(m.get("precision")).isEqualTo(0.5);
        assertThat(m.get("roc_auc")).isEqualTo(1.0);
        assertThat(acc.evaluatedLabels()).isEqualTo(3);
    }

    @Test
    void aLabelWithoutATrueLabelCountsForCoverageOnly() {
        PerformanceAccumulator acc = fraudModel(0.5);
        acc.addPrediction();
        acc.addLabel(scored(0.9, null));
        assertThat(acc.labels()).isEqualTo(1);
        assertThat(acc.evaluatedLabels()).isZero();
        assertThat(acc.metrics()).containsOnlyKeys(
                "label_coverage", "label_delay_p50_ms", "label_delay_p90_ms", "label_delay_p99_ms");
    }

    @Test
    void logLossClipsCertainWrongAnswersAtEpsilon() {
        Map<String, Double> m = accumulate(0.5, new double[] {0.0, 1.0}, new boolean[] {true, true}).metrics();
        assertThat(m.get("log_loss")).isCloseTo((-Math.log(1e-15) - Math.log(1 - 1e-15)) / 2, within(EXACT));
        assertThat(-Math.log(1e-15)).isCloseTo(34.538776, within(1e-6));
    }

    @Test
    void theModelParametersAreChecked() {
        assertThatThrownBy(() -> PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, null, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive label");
        assertThatThrownBy(() -> PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fraudModel(0.5).addLabel(new Outcome()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a label");
    }
}
