package dev.vigil.performance;

import java.util.Arrays;

/**
 * The textbook definitions, computed directly from every example: the reference the
 * accumulator's metrics are checked against. Nothing here shares code with the accumulator.
 */
final class ExactMetrics {
    private ExactMetrics() {}

    /** Share of positive-negative pairs ranked correctly, ties one half (Mann–Whitney U / (P·N)). */
    static double rocAuc(double[] scores, boolean[] positive) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!positive[i]) continue;
            for (int j = 0; j < scores.length; j++) {
                if (positive[j]) continue;
                pairs++;
                if (scores[i] > scores[j]) wins += 1;
                else if (scores[i] == scores[j]) wins += 0.5;
            }
        }
        return wins / pairs;
    }

    /** The same, by sorting: O(n log n), for large sets. */
    static double rocAucBySorting(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double wins = 0;
        long negativesBelow = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            long tiedPositives = 0;
            long tiedNegatives = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) tiedPositives++;
                else tiedNegatives++;
                j++;
            }
            wins += tiedPositives * (negativesBelow + 0.5 * tiedNegatives);
            negativesBelow += tiedNegatives;
            positives += tiedPositives;
            i = j;
        }
        return wins / ((double) positives * negativesBelow);
    }

    static double logLoss(double[] scores, boolean[] positive, double epsilon) {
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(Math.max(scores[i], epsilon), 1 - epsilon);
            sum += positive[i] ? -Math.log(p) : -Math.log(1 - p);
        }
        return sum / scores.length;
    }

    static double brier(double[] scores, boolean[] positive) {
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double d = scores[i] - (positive[i] ? 1 : 0);
            sum += d * d;
        }
        return sum / scores.length;
    }

    /** 10 equal-width bins [0, .1), ..., [.9, 1]: Σ n_b / n · |mean score_b − positive share_b|. */
    static double expectedCalibrationError(double[] scores, boolean[] positive) {
        double ece = 0;
        for (int b = 0; b < 10; b++) {
            double lo = b / 10.0;
            double hi = (b + 1) / 10.0;
            int n = 0;
            double scoreSum = 0;
            int positives = 0;
            for (int i = 0; i < scores.length; i++) {
                boolean in = scores[i] >= lo && (b == 9 ? scores[i] <= 1 : scores[i] < hi);
                if (!in) continue;
                n++;
                scoreSum += scores[i];
                if (positive[i]) positives++;
            }
            if (n > 0) ece += (double) n / scores.length * Math.abs(scoreSum / n - (double) positives / n);
        }
        return ece;
    }

    /** The value of rank ⌈q·n⌉ among the sorted values (nearest-rank quantile). */
    static double nearestRank(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
        return sorted[rank - 1];
    }
}
