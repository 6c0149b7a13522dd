package dev.vigil.usage;

import java.util.Arrays;

/**
 * The override and ignore rates of a segment's most recent evaluated windows (oldest first, at
 * most {@code adoption.baseline.trailing} of them): the trailing baseline. Only windows with at
 * least {@code min-feedback} actions enter it, so a quiet night does not skew the mean.
 * A Flink POJO: serialized without Kryo.
 */
public class AdoptionHistory {
    public double[] overrideRates = new double[0];
    public double[] ignoreRates = new double[0];

    public AdoptionHistory() {}

    public int size() {
        return overrideRates.length;
    }

    /** Appends one window's rates, keeping the last {@code keep}. */
    public void record(double overrideRate, double ignoreRate, int keep) {
        overrideRates = append(overrideRates, overrideRate, keep);
        ignoreRates = append(ignoreRates, ignoreRate, keep);
    }

    public double meanOverrideRate() {
        return Arrays.stream(overrideRates).average().orElse(Double.NaN);
    }

    public double meanIgnoreRate() {
        return Arrays.stream(ignoreRates).average().orElse(Double.NaN);
    }

    private static double[] append(double[] values, double value, int keep) {
        int from = Math.max(0, values.length + 1 - keep);
        double[] out = Arrays.copyOfRange(values, from, values.length + 1);
        out[out.length - 1] = value;
        return out;
    }
}
