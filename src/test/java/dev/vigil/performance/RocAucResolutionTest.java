package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.spec.ModelTask;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every binary metric on 10,000 random examples against the exact values, and the AUC error bound. */
class RocAucResolutionTest {

    private static double[] scores;
    private static boolean[] positives;

    private static BinaryClassificationPerformance accumulate(int n, int decimals, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double scale = Math.pow(10, decimals);
        scores = new double[n];
        positives = new boolean[n];
        BinaryClassificationPerformance acc =
                (BinaryClassificationPerformance) PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "1", 0.35);
        for (int i = 0; i < n; i++) {
            positives[i] = random.nextDouble() < 0.3;
            // An informative but imperfect model: positives score higher on average.
            double raw = Math.min(1, Math.max(0, (positives[i] ? 0.6 : 0.35) + 0.25 * (random.nextDouble() - 0.5) * 2));
            scores[i] = Math.round(raw * scale) / scale;
            acc.addPrediction();
            acc.addLabel(scored(scores[i], positives[i] ? "1" : "0"));
        }
        return acc;
    }

    @Test
    void tenThousandScoresWithFourDecimalsGiveTheExactMetrics() {
        BinaryClassificationPerformance acc = accumulate(10_000, 4, 42);
        Map<String, Double> m = acc.metrics();

        double exactAuc = ExactMetrics.rocAuc(scores, positives);
        assertThat(ExactMetrics.rocAucBySorting(scores, positives)).isCloseTo(exactAuc, within(1e-12));
        assertThat(m.get("roc_auc")).isCloseTo(exactAuc, within(1e-12));
        assertThat(exactAuc).isBetween(0.7, 0.99);
        // The bound counts every pair in one bin; at 4 decimals those pairs are true ties, so the
        // reported AUC is exact even though the bound is not zero.
        assertThat(acc.rocAucErrorBound()).isPositive();

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= 0.35;
            if (positives[i] && predicted) tp++;
            else if (positives[i]) fn++;
            else if (predicted) fp++;
            else tn++;
        }
        assertThat(m.get("accuracy")).isEqualTo((double) (tp + tn) / scores.length);
        assertThat(m.get("precision")).isEqualTo((double) tp / (tp + fp));
        assertThat(m.get("recall")).isEqualTo((double) tp / (tp + fn));
        assertThat(m.get("f1")).isCloseTo(2.0 * tp / (2 * tp + fp + fn), within(1e-15));
        assertThat(m.get("log_loss")).isCloseTo(ExactMetrics.logLoss(scores, positives, 1e-15), within(1e-12));
        assertThat(m.get("brier")).isCloseTo(ExactMetrics.brier(scores, positives), within(1e-12));
        assertThat(m.get("ece")).isCloseTo(ExactMetrics.expectedCalibrationError(scores, positives), within(1e-12));
    }

    @Test
    void scoresFinerThanTheResolutionStayWithinTheStatedBound() {
        for (long seed = 1; seed <= 5; seed++) {
            BinaryClassificationPerformance acc = accumulate(10_000, 7, seed);
            double exact = ExactMetrics.rocAucBySorting(scores, positives);
            double bound = acc.rocAucErrorBound();
            double reported = acc.metrics().get("roc_auc");
            assertThat(Math.abs(reported - exact)).as("seed %d", seed).isLessThanOrEqualTo(bound + 1e-12);
            assertThat(reported).isNotEqualTo(exact); // rounding to 4 decimals did change something ...
            assertThat(bound).isLessThan(2e-4); // ... by little: pairs within 1e-4 of each other are rare
        }
    }

    @Test
    void theBoundIsAttainedWhenEveryPairFallsInOneBin() {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "1", 0.5);
        acc.addLabel(scored(0.50001, "1"));
        acc.addLabel(scored(0.50002, "1"));
        acc.addLabel(scored(0.50000, "0"));
        double exact = 1.0;
        assertThat(acc.metrics().get("roc_auc")).isEqualTo(0.5);
        assertThat(((BinaryClassificationPerformance) acc).rocAucErrorBound()).isEqualTo(0.5).isEqualTo(exact - 0.5);
    }
}
