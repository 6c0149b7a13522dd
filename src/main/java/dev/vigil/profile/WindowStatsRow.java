package dev.vigil.profile;

/** One row of {@code window_stats}: service and output statistics of a model version, segment and window. */
public class WindowStatsRow {
    public String model;
    public String modelVersion;
    public String segment;
    public long windowStart;
    public long windowEnd;
    public long events;
    public long errors;
    public Double errorRate;
    public long fallbacks;
    public long lateEventsDropped;
    /** Distinct segment values folded into this {@code other} segment by the cardinality cap. */
    public int foldedValues;
    public long latencyCount;
    public Double latencyMeanMs;
    public Double latencyP50Ms;
    public Double latencyP90Ms;
    public Double latencyP95Ms;
    public Double latencyP99Ms;
    public Double latencyMaxMs;
    public long scoreCount;
    public Double scoreMean;
    public Double scoreP05;
    public Double scoreP25;
    public Double scoreP50;
    public Double scoreP75;
    public Double scoreP95;
    /** JSON object: predicted label → count. */
    public String labelCounts;
    /** Serialized KLL sketches, so any time range can be re-aggregated exactly as a sketch. */
    public byte[] latencySketch;
    public byte[] scoreSketch;

    public WindowStatsRow() {}
}
