package dev.vigil.spec;

/** How a feature is profiled: numeric values into quantile sketches, categorical into counts. */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL;

    String specName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
