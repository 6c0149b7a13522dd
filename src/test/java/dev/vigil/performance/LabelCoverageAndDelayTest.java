package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.delayed;
import static dev.vigil.performance.TestOutcomes.estimated;
import static dev.vigil.performance.TestOutcomes.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.spec.ModelTask;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Label coverage and label-delay quantiles, common to every task. */
class LabelCoverageAndDelayTest {

    @Test
    void coverageIsTheShareOfSampledPredictionsWithALabel() {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.REGRESSION, null, 0.5);
        assertThat(acc.metrics()).isEmpty();
        for (int i = 0; i < 4; i++) acc.addPrediction();
        assertThat(acc.metrics()).containsOnlyKeys("label_coverage").containsEntry("label_coverage", 0.0);
        for (int i = 0; i < 3; i++) acc.addLabel(estimated(1, 1));
        assertThat(acc.metrics()).containsEntry("label_coverage", 0.75);
        assertThat(acc.predictions()).isEqualTo(4);
        assertThat(acc.labels()).isEqualTo(3);
    }

    @Test
    void aLabelThatCameBeforeItsPredictionCountsWithDelayZero() {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.RANKING, null, 0.5);
        acc.addLabel(delayed(label(), -5_000));
        acc.addLabel(delayed(label(), 0));
        acc.addLabel(delayed(label(), 86_400_000));
        assertThat(acc.labelsBeforePrediction()).isEqualTo(1);
        Map<String, Double> m = acc.metrics();
        assertThat(m.get("label_delay_p50_ms")).isEqualTo(0.0);
        assertThat(m.get("label_delay_p90_ms")).isCloseTo(86_400_000.0, within(864_000.0));
        assertThat(m.get("label_delay_p99_ms")).isCloseTo(86_400_000.0, within(864_000.0));
    }

    @Test
    void delayQuantilesAreWithinOnePercentOfTheExactNearestRankQuantiles() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 20_000;
        long[] delays = new long[n];
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.RANKING, null, 0.5);
        for (int i = 0; i < n; i++) {
            // Seconds to weeks: log-uniform between 1 ms and 30 days.
            delays[i] = (long) Math.exp(random.nextDouble() * Math.log(30 * 86_400_000.0));
            acc.addLabel(delayed(label(), delays[i]));
        }
        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1}) {
            double exact = ExactMetrics.nearestRank(delays, q);
            assertThat(acc.labelDelayQuantileMs(q)).as("q=%s", q).isCloseTo(exact, within(exact * LabelDelayHistogram.RELATIVE_ERROR));
        }
        Map<String, Double> m = acc.metrics();
        assertThat(m.get("label_delay_p50_ms")).isEqualTo(acc.labelDelayQuantileMs(0.5));
        assertThat(m.get("label_delay_p90_ms")).isEqualTo(acc.labelDelayQuantileMs(0.9));
        assertThat(m.get("label_delay_p99_ms")).isEqualTo(acc.labelDelayQuantileMs(0.99));
        // 1 ms .. 30 days at 1% is about 1,000 buckets at most: the state stays small.
        assertThat(acc.toBytes().length).isLessThan(3_000);
    }

    @Test
    void rankingReportsCoverageAndDelayOnly() {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.RANKING, null, 0.5);
        acc.addPrediction();
        acc.addPrediction();
        acc.addLabel(delayed(label(), 1_000));
        assertThat(acc.evaluatedLabels()).isZero();
        assertThat(acc.metrics()).containsOnlyKeys(
                "label_coverage", "label_delay_p50_ms", "label_delay_p90_ms", "label_delay_p99_ms");
        assertThat(acc.metrics().get("label_coverage")).isEqualTo(0.5);
    }
}
