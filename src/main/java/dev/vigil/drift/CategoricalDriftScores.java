package dev.vigil.drift;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Drift of one categorical quantity (a categorical feature, or the predicted labels) between a
 * reference and a current window, computed by {@link CategoricalDrift}. Formulas, errors and
 * default thresholds are in {@code docs/drift-metrics.md}.
 *
 * @param psi population stability index over the categories (shares floored at 1e-4)
 * @param js Jensen–Shannon distance (square root of the base-2 JS divergence, 0–1)
 * @param linf largest absolute change of one category's share (0–1)
 * @param chiSquare Pearson's chi-square statistic of the current counts against the reference
 *     shares
 * @param chiSquareP its p-value with (categories − 1) degrees of freedom; tiny at high volume even
 *     for negligible changes, so not a default alerting threshold
 * @param unseenShare share of current values in categories the reference does not list
 * @param topShifts the categories whose share changed most, largest change first
 */
public record CategoricalDriftScores(double psi, double js, double linf, double chiSquare, double chiSquareP,
                                     double unseenShare, List<CategoryShift> topShifts) {
    public CategoricalDriftScores {
        topShifts = List.copyOf(topShifts);
    }

    /** The top shifts as one line, e.g. {@code merchant_category=crypto 0.2% → 9.1%; …}. */
    public String explain(String feature) {
        return topShifts.stream().map(s -> s.describe(feature)).collect(Collectors.joining("; "));
    }

    /**
     * One category's share in the reference and in the current window. The category
     * {@link CategoricalDrift#OTHER} holds the values the frequent-items sketch no longer lists.
     */
    public record CategoryShift(String category, double referenceShare, double currentShare) {
        /** Current share minus reference share. */
        public double change() {
            return currentShare - referenceShare;
        }

        /** E.g. {@code crypto 0.2% → 9.1%}. */
        public String describe() {
            return category + " " + NumericDriftScores.percent(referenceShare) + " → "
                    + NumericDriftScores.percent(currentShare);
        }

        /** E.g. {@code merchant_category=crypto 0.2% → 9.1%}. */
        public String describe(String feature) {
            return feature + "=" + describe();
        }
    }
}
