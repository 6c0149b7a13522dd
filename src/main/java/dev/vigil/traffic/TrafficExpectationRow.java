package dev.vigil.traffic;

/**
 * One bucket of one model (all versions) and segment: the observed event count and, once there
 * is enough history, the expected count, its spread and the robust deviations. A row of the
 * {@code traffic_expectations} table, for Grafana's expected band. A Flink POJO.
 */
public class TrafficExpectationRow {
    public String model;
    public String segment;
    /** UTC epoch ms, inclusive. */
    public long bucketStart;
    /** UTC epoch ms, exclusive. */
    public long bucketEnd;
    public long observed;
    /** Null until the segment has {@code min-history}. */
    public Double expected;
    public Double spread;
    public Double deviations;
    /** {@value Seasons#DAY} or {@value Seasons#WEEK}; null without a baseline. */
    public String season;
    /** How many past seasons the expected level comes from (0 without a baseline). */
    public int historySeasons;
    /** Null, {@code warning} or {@code critical}. */
    public String breached;

    public TrafficExpectationRow() {}

    public TrafficExpectationRow(String model, String segment, long bucketStart, long bucketEnd, long observed) {
        this.model = model;
        this.segment = segment;
        this.bucketStart = bucketStart;
        this.bucketEnd = bucketEnd;
        this.observed = observed;
    }

    @Override
    public String toString() {
        return model + "/" + segment + "@" + java.time.Instant.ofEpochMilli(bucketStart) + " observed=" + observed
                + " expected=" + expected + " spread=" + spread + " deviations=" + deviations + " " + breached;
    }
}
