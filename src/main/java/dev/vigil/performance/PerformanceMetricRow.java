package dev.vigil.performance;

/**
 * One row of {@code performance_metrics}: one metric of a model version's predictions in one
 * prediction-time window and segment, from the labels joined so far. Rewritten (same natural key)
 * as late labels arrive. A Flink POJO.
 */
public class PerformanceMetricRow {
    public String model;
    public String modelVersion;
    public String segment;
    public long windowStart;
    public long windowEnd;
    /** A {@link PerformanceAccumulator#metrics()} name, e.g. {@code roc_auc}, {@code label_coverage}. */
    public String metric;
    public double value;
    /** Labels behind the value: scored labels for quality metrics, all joined labels for coverage and delays. */
    public long labels;
    /** Sampled predictions of the window and segment. */
    public long predictions;

    public PerformanceMetricRow() {}

    @Override
    public String toString() {
        return model + "/" + modelVersion + "/" + segment + "@" + windowStart + " " + metric + "=" + value + " labels=" + labels
                + " predictions=" + predictions;
    }
}
