package dev.vigil.usage;

/**
 * One row of {@code usage_stats}: how a model version's predictions of one prediction-time window
 * and segment were served and what people did with them. Rewritten (same natural key) when late
 * feedback changes the window. A Flink POJO.
 */
public class UsageStatsRow {
    public String model;
    public String modelVersion;
    public String segment;
    public long windowStart;
    public long windowEnd;
    public long predictions;
    public long errors;
    public long fallbacks;
    public long feedback;
    public long accepted;
    public long overridden;
    public long ignored;
    public long escalated;
    public Double acceptanceRate;
    public Double overrideRate;
    public Double ignoreRate;
    public Double escalationRate;
    public Double fallbackRate;

    public UsageStatsRow() {}

    public static UsageStatsRow of(String model, String modelVersion, String segment, long windowStart, long windowEnd, UsageWindow w) {
        UsageStatsRow r = new UsageStatsRow();
        r.model = model;
        r.modelVersion = modelVersion;
        r.segment = segment;
        r.windowStart = windowStart;
        r.windowEnd = windowEnd;
        r.predictions = w.predictions;
        r.errors = w.errors;
        r.fallbacks = w.fallbacks;
        r.feedback = w.feedback();
        r.accepted = w.accepted;
        r.overridden = w.overridden;
        r.ignored = w.ignored;
        r.escalated = w.escalated;
        r.acceptanceRate = UsageWindow.rate(w.accepted, r.feedback);
        r.overrideRate = UsageWindow.rate(w.overridden, r.feedback);
        r.ignoreRate = UsageWindow.rate(w.ignored, r.feedback);
        r.escalationRate = UsageWindow.rate(w.escalated, r.feedback);
        r.fallbackRate = UsageWindow.rate(w.fallbacks, w.predictions);
        return r;
    }

    @Override
    public String toString() {
        return model + "/" + modelVersion + "/" + segment + "@" + windowStart + " predictions=" + predictions + " feedback="
                + feedback + " accepted=" + accepted + " overridden=" + overridden + " ignored=" + ignored + " escalated=" + escalated;
    }
}
