package dev.vigil.generator;

import java.util.List;

/** One simulated model input, mirroring a feature declared in the demo monitor spec. */
final class FeatureDef {

    final String name;
    final boolean numeric;
    /** Spec range for numeric features (values outside it count as out of range). */
    final double min;
    final double max;
    /** Digits after the decimal point when written (0 = integer). */
    final int decimals;
    /** Spec categories for categorical features. */
    final List<String> categories;
    /** Categorical values written as JSON booleans when they are "true"/"false". */
    final boolean booleanValued;
    /** Default value for {@code new_category} incidents (not in {@link #categories}). */
    final String newCategory;
    /** Default constant for {@code stuck_feature} incidents: a Double or a String. */
    final Object stuckValue;
    /** Relative weight of the missing-value rate (the model's weights average about 1). */
    final double missingWeight;

    private FeatureDef(String name, boolean numeric, double min, double max, int decimals,
            List<String> categories, boolean booleanValued, String newCategory, Object stuckValue,
            double missingWeight) {
        this.name = name;
        this.numeric = numeric;
        this.min = min;
        this.max = max;
        this.decimals = decimals;
        this.categories = categories;
        this.booleanValued = booleanValued;
        this.newCategory = newCategory;
        this.stuckValue = stuckValue;
        this.missingWeight = missingWeight;
    }

    static FeatureDef numeric(String name, double min, double max, int decimals, double stuck,
            double missingWeight) {
        return new FeatureDef(name, true, min, max, decimals, List.of(), false, null, stuck, missingWeight);
    }

    static FeatureDef categorical(String name, List<String> categories, String newCategory,
            String stuck, double missingWeight) {
        boolean bool = categories.equals(List.of("true", "false"));
        return new FeatureDef(name, false, 0, 0, 0, categories, bool, newCategory, stuck, missingWeight);
    }

    int categoryIndex(String value) {
        return categories.indexOf(value);
    }
}
