package dev.vigil.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/**
 * Checks a sketch quantile against the exact distribution of the raw samples. KLL guarantees
 * rank accuracy, not value accuracy: the returned value's exact rank among the samples must lie
 * within the sketch's normalized rank error of the requested rank (ties widen the rank range).
 */
public final class QuantileChecks {
    private QuantileChecks() {}

    public static void assertQuantileWithinRankError(double[] samples, double rank, Double sketchValue, double rankError) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        assertQuantileWithinRankErrorSorted(sorted, rank, sketchValue, rankError);
    }

    public static void assertQuantileWithinRankErrorSorted(double[] sorted, double rank, Double sketchValue, double rankError) {
        assertThat(sketchValue).as("quantile %s", rank).isNotNull();
        int n = sorted.length;
        double below = lowerBound(sorted, sketchValue) / (double) n;   // share strictly below the value
        double atOrBelow = upperBound(sorted, sketchValue) / (double) n; // share at or below the value
        assertThat(rank)
                .as("rank %s of value %s: exact rank range [%s, %s], allowed error %s", rank, sketchValue, below, atOrBelow, rankError)
                .isBetween(below - rankError, atOrBelow + rankError);
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
