package dev.vigil.drift;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The Benjamini–Hochberg step-up procedure (Benjamini and Hochberg, 1995): among m tests, sort the
 * p-values p(1) ≤ … ≤ p(m), find the largest k with p(k) ≤ k·q / m and reject the hypotheses of
 * p(1) … p(k). This controls the false discovery rate at q for independent (or positively
 * dependent) tests, e.g. one drift test per feature of a model.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    /**
     * Which hypotheses are rejected at false discovery rate {@code q}, in the order of the input.
     *
     * @throws IllegalArgumentException when a p-value is not in [0, 1] or q is not in (0, 1)
     */
    public static boolean[] rejected(double[] pValues, double q) {
        if (!(q > 0 && q < 1)) throw new IllegalArgumentException("q must be in (0, 1), not " + q);
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        int k = 0; // number rejected: the largest rank whose p-value is at or below its line
        for (int rank = m; rank >= 1; rank--) {
            if (pValues[order[rank - 1]] <= rank * q / m) {
                k = rank;
                break;
            }
        }
        boolean[] rejected = new boolean[m];
        for (int rank = 1; rank <= k; rank++) rejected[order[rank - 1]] = true;
        return rejected;
    }

    /**
     * BH-adjusted p-values, in the order of the input: {@code min over j ≥ i of m·p(j) / j}, capped
     * at 1. A hypothesis is rejected at level q exactly when its adjusted p-value is ≤ q.
     */
    public static double[] adjusted(double[] pValues) {
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        double[] adjusted = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, pValues[i] * m / rank);
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static Integer[] ascending(double[] pValues) {
        for (double p : pValues) {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("p-values must be in [0, 1], not " + p);
        }
        Integer[] order = IntStream.range(0, pValues.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        return order;
    }
}
