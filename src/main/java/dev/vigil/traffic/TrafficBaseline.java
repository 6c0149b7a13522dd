package dev.vigil.traffic;

import java.util.Arrays;

/**
 * The expected event count of one bucket and its spread, from the counts of the same slot in
 * past seasons: the median, and the largest of three spreads, so that one season of history (no
 * MAD) or a quiet slot (a small count) still gives a usable scale:
 *
 * <pre>
 *   expected = median(c_1..c_n)
 *   spread   = max( 1.4826 · MAD(c_1..c_n),            robust standard deviation across seasons
 *                   sqrt(max(expected, 1) · (1 + π/(2n))), Poisson noise of the bucket and of the median
 *                   minRelativeSpread · expected )       day-to-day variation a short history cannot show
 *   deviations = (observed − expected) / spread
 * </pre>
 *
 * See docs/traffic-and-silence.md.
 */
public record TrafficBaseline(double expected, double spread, int seasons) {
    /** Scales a MAD to a standard deviation for normally distributed counts. */
    static final double MAD_TO_SD = 1.4826;

    /** @param past the slot's counts in past seasons (at least one) */
    public static TrafficBaseline of(long[] past, double minRelativeSpread) {
        if (past.length == 0) throw new IllegalArgumentException("a baseline needs at least one past season");
        double[] values = new double[past.length];
        for (int i = 0; i < past.length; i++) values[i] = past[i];
        double expected = median(values);
        double[] absDev = new double[values.length];
        for (int i = 0; i < values.length; i++) absDev[i] = Math.abs(values[i] - expected);
        double mad = median(absDev);
        double poisson = Math.sqrt(Math.max(expected, 1) * (1 + Math.PI / (2.0 * past.length)));
        double spread = Math.max(MAD_TO_SD * mad, Math.max(poisson, minRelativeSpread * expected));
        return new TrafficBaseline(expected, spread, past.length);
    }

    /** Robust deviations of an observed count: negative for a drop, positive for a spike. */
    public double deviations(long observed) {
        return (observed - expected) / spread;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
