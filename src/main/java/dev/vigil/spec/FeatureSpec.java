package dev.vigil.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * One model input the job profiles. Numeric features may declare an expected range; values
 * outside it are counted as out of range. Categorical features may declare the expected
 * categories; other values count toward the feature's unexpected share.
 */
public record FeatureSpec(
        String name, FeatureType type, Double min, Double max, List<String> categories)
        implements Serializable {

    public FeatureSpec {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public boolean hasRange() {
        return min != null && max != null;
    }

    /** True when the value lies outside the declared range; always false without a range. */
    public boolean outOfRange(double value) {
        return hasRange() && (value < min || value > max);
    }

    public Set<String> categorySet() {
        return Set.copyOf(categories);
    }
}
