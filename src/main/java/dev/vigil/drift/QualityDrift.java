package dev.vigil.drift;

import dev.vigil.profile.CategoricalProfile;
import dev.vigil.profile.NumericProfile;

/**
 * Data-quality rates of one feature in the reference and the current window, from the profiles'
 * exact counts. A rate is null when its denominator is 0 (as in the metrics store).
 *
 * <ul>
 *   <li>Missing rate: {@code (missing + typeMismatch) / observations} (a value of the wrong type
 *       is as unusable as none; the same definition as {@code drift_scores.missing_rate}), where
 *       observations are all events of the profile: {@code count + missing + typeMismatch +
 *       nanOrInfinite} for a numeric feature, {@code count + missing + typeMismatch} for a
 *       categorical one.
 *   <li>Out-of-range rate: for a numeric feature {@code outOfRange / count} (finite values outside
 *       the spec's range); for a categorical feature the unexpected-category share
 *       {@code unexpected / count} (present values outside the spec's categories).
 * </ul>
 */
public record QualityDrift(Double referenceMissingRate, Double currentMissingRate,
                           Double referenceOutOfRangeRate, Double currentOutOfRangeRate) {

    public static QualityDrift of(NumericProfile reference, NumericProfile current) {
        return new QualityDrift(missingRate(reference), missingRate(current),
                outOfRangeRate(reference), outOfRangeRate(current));
    }

    public static QualityDrift of(CategoricalProfile reference, CategoricalProfile current) {
        return new QualityDrift(missingRate(reference), missingRate(current),
                reference.unexpectedShare(), current.unexpectedShare());
    }

    /** Current minus reference missing rate (absolute, in rate units); null when either is null. */
    public Double missingRateChange() {
        return difference(currentMissingRate, referenceMissingRate);
    }

    /** Current minus reference out-of-range (or unexpected-category) rate; null when either is null. */
    public Double outOfRangeRateChange() {
        return difference(currentOutOfRangeRate, referenceOutOfRangeRate);
    }

    static Double missingRate(NumericProfile p) {
        return ratio(p.missing() + p.typeMismatch(), p.count() + p.missing() + p.typeMismatch() + p.nanOrInfinite());
    }

    static Double outOfRangeRate(NumericProfile p) {
        return ratio(p.outOfRange(), p.count());
    }

    static Double missingRate(CategoricalProfile p) {
        return ratio(p.missing() + p.typeMismatch(), p.count() + p.missing() + p.typeMismatch());
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Double difference(Double a, Double b) {
        return a == null || b == null ? null : a - b;
    }
}
