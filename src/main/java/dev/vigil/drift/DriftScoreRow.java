package dev.vigil.drift;

/** One row of {@code drift_scores}: how far one feature (or the prediction) of a segment moved from its reference. */
public class DriftScoreRow {
    public String model;
    public String modelVersion;
    public String segment;
    /** A feature name, {@code prediction} (score or value) or {@code predicted_label}. */
    public String feature;
    /** End of the drift window (exclusive), UTC epoch ms. */
    public long evaluatedAt;
    public long windowStart;
    public String reference;
    public long samples;
    public long referenceSamples;
    public Double psi;
    public Double jsDistance;
    public Double ksDistance;
    public Double wasserstein;
    public Double linf;
    public Double chiSquare;
    public Double chiSquareP;
    public Double unseenShare;
    public Double missingRate;
    public Double referenceMissingRate;
    public Double outOfRangeRate;
    public Double referenceOutOfRangeRate;
    /** Null, {@code warning} or {@code critical}: the worst of the feature's evaluations. */
    public String breached;
    public String explanation;

    public DriftScoreRow() {}
}
