package dev.vigil.drift;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Drift of one numeric quantity between a reference and a current window, computed from KLL
 * sketches by {@link NumericDrift}. Formulas, errors and default thresholds are in
 * {@code docs/drift-metrics.md}.
 *
 * @param psi population stability index on the reference's decile bins (0 = no change; 0.1 and
 *     0.25 are the usual warning and critical levels)
 * @param ks Kolmogorov–Smirnov distance, the largest gap between the two CDFs (0–1)
 * @param js Jensen–Shannon distance (square root of the base-2 JS divergence) on the reference's
 *     decile bins (0–1)
 * @param wasserstein Wasserstein-1 distance between the central 90% of the two distributions
 *     (quantile ranks 0.05–0.95), divided by the reference's robust spread (IQR / 1.349, the
 *     standard deviation for normal data), so 0.5 means "the bulk moved by about half a sigma"
 * @param topShifts the reference decile bins whose share changed most, largest change first
 */
public record NumericDriftScores(double psi, double ks, double js, double wasserstein, List<BinShift> topShifts) {
    public NumericDriftScores {
        topShifts = List.copyOf(topShifts);
    }

    /** The top shifts as one line, e.g. {@code [120.5, 180.0): 10.0% → 31.2%; …}. */
    public String explain() {
        return topShifts.stream().map(BinShift::describe).collect(Collectors.joining("; "));
    }

    /**
     * One bin of the reference's deciles, {@code [lower, upper)}, and the share of values in it in
     * the reference and the current window. The first bin is {@code (-∞, upper)}, the last
     * {@code [lower, +∞)}.
     */
    public record BinShift(double lower, double upper, double referenceShare, double currentShare) {
        /** Current share minus reference share. */
        public double change() {
            return currentShare - referenceShare;
        }

        /** E.g. {@code [120.5, 180.0): 10.0% → 31.2%}. */
        public String describe() {
            return interval() + ": " + percent(referenceShare) + " → " + percent(currentShare);
        }

        /** E.g. {@code amount in [120.5, 180.0): 10.0% → 31.2%}. */
        public String describe(String feature) {
            return feature + " in " + describe();
        }

        private String interval() {
            // Enough significant digits (at least 4) to tell the two ends apart.
            for (int digits = 4; ; digits++) {
                String lo = Double.isInfinite(lower) ? "-∞" : number(lower, digits);
                String hi = Double.isInfinite(upper) ? "+∞" : number(upper, digits);
                if (!lo.equals(hi) || digits >= 17) {
                    return (Double.isInfinite(lower) ? "(" : "[") + lo + ", " + hi + ")";
                }
            }
        }
    }

    static String number(double v, int significantDigits) {
        if (v == 0 || !Double.isFinite(v)) return Double.toString(v);
        return Double.toString(new BigDecimal(v).round(new MathContext(significantDigits)).doubleValue());
    }

    /** A share as a percentage: one decimal, or two significant digits below 0.1%. */
    static String percent(double share) {
        double pct = share * 100;
        if (pct == 0) return "0%";
        if (Math.abs(pct) < 0.1) return new BigDecimal(pct).round(new MathContext(2)).toPlainString() + "%";
        return String.format(Locale.ROOT, "%.1f%%", pct);
    }
}
