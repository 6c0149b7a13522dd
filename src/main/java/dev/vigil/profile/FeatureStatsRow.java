package dev.vigil.profile;

/** One row of {@code feature_stats}: the profile of one feature in a model version, segment and window. */
public class FeatureStatsRow {
    public String model;
    public String modelVersion;
    public String segment;
    public long windowStart;
    public long windowEnd;
    public String feature;
    /** {@code numeric} or {@code categorical}. */
    public String featureType;
    /** Values profiled: finite numbers, or present categorical values. */
    public long count;
    public long missing;
    public long typeMismatch;
    public long nanOrInfinite;
    public long outOfRange;
    public long unexpected;
    public Double unexpectedShare;
    public Double min;
    public Double max;
    public Double mean;
    public Double p01;
    public Double p05;
    public Double p25;
    public Double p50;
    public Double p75;
    public Double p95;
    public Double p99;
    public Double distinctEstimate;
    /** JSON array of {value, count}, most frequent first. */
    public String topValues;

    public FeatureStatsRow() {}
}
