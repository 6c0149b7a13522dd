package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.estimated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.spec.ModelTask;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Regression errors on small sets, written out by hand. */
class RegressionMetricsTest {

    private static PerformanceAccumulator accumulate(double[] predicted, double[] truth) {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.REGRESSION, null, 0.5);
        for (int i = 0; i < truth.length; i++) {
            acc.addPrediction();
            acc.addLabel(estimated(predicted[i], truth[i]));
        }
        return acc;
    }

    @Test
    void errorsOfASmallSetWithAZeroTruth() {
        // errors 1, -1, -1, 2; MAPE over the truths 2, -4, 10 only.
        Map<String, Double> m = accumulate(new double[] {1, 1, -5, 12}, new double[] {0, 2, -4, 10}).metrics();
        assertThat(m.get("mae")).isEqualTo(1.25);
        assertThat(m.get("rmse")).isCloseTo(Math.sqrt(7 / 4.0), within(1e-12));
        assertThat(m.get("mean_error")).isEqualTo(0.25);
        assertThat(m.get("mape")).isCloseTo((0.5 + 0.25 + 0.2) / 3, within(1e-12));
    }

    @Test
    void mapeIsAbsentWhenEveryTruthIsZero() {
        Map<String, Double> m = accumulate(new double[] {0.5, -0.5}, new double[] {0, 0}).metrics();
        assertThat(m).doesNotContainKey("mape");
        assertThat(m.get("mae")).isEqualTo(0.5);
        assertThat(m.get("mean_error")).isEqualTo(0.0);
    }

    @Test
    void aSingleExampleAndAPerfectModel() {
        assertThat(accumulate(new double[] {3}, new double[] {4}).metrics())
                .containsEntry("mae", 1.0)
                .containsEntry("rmse", 1.0)
                .containsEntry("mean_error", -1.0)
                .containsEntry("mape", 0.25);
        assertThat(accumulate(new double[] {7, 8}, new double[] {7, 8}).metrics())
                .containsEntry("mae", 0.0)
                .containsEntry("rmse", 0.0)
                .containsEntry("mape", 0.0);
    }

    @Test
    void labelsWithoutAFinitePredictionOrTruthAreNotEvaluated() {
        PerformanceAccumulator acc = accumulate(new double[] {Double.NaN, 2, 5}, new double[] {1, Double.NaN, 4});
        assertThat(acc.labels()).isEqualTo(3);
        assertThat(acc.evaluatedLabels()).isEqualTo(1);
        assertThat(acc.metrics()).containsEntry("mae", 1.0).containsEntry("label_coverage", 1.0);
    }

    @Test
    void tenThousandRandomExamplesMatchTheDirectSums() {
        SplittableRandom random = new SplittableRandom(17);
        int n = 10_000;
        double[] predicted = new double[n];
        double[] truth = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextDouble() < 0.1 ? 0 : Math.round(random.nextDouble() * 50_000) / 100.0;
            predicted[i] = truth[i] * (0.9 + 0.3 * random.nextDouble()) + random.nextDouble() - 0.5;
        }
        double abs = 0, sq = 0, err = 0, ape = 0;
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            double e = predicted[i] - truth[i];
            abs += Math.abs(e);
            sq += e * e;
            err += e;
            if (truth[i] != 0) {
                ape += Math.abs(e / truth[i]);
                nonZero++;
            }
        }
        Map<String, Double> m = accumulate(predicted, truth).metrics();
        assertThat(m.get("mae")).isCloseTo(abs / n, within(1e-9));
        assertThat(m.get("rmse")).isCloseTo(Math.sqrt(sq / n), within(1e-9));
        assertThat(m.get("mean_error")).isCloseTo(err / n, within(1e-9));
        assertThat(m.get("mape")).isCloseTo(ape / nonZero, within(1e-12));
        assertThat(nonZero).isLessThan(n);
    }
}
