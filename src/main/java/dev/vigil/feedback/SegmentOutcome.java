package dev.vigil.feedback;

/**
 * One {@link Outcome} as counted in one of its segments ({@link OutcomeSegments#of}): what the
 * per-segment aggregators are keyed by. A Flink POJO: serialized without Kryo.
 */
public class SegmentOutcome {
    /** {@code all} or {@code <dimension>=<value>}. */
    public String segment;
    public Outcome outcome;

    public SegmentOutcome() {}

    public SegmentOutcome(String segment, Outcome outcome) {
        this.segment = segment;
        this.outcome = outcome;
    }

    /** The aggregators' key: model, version and segment. */
    public String key() {
        return key(outcome.model, outcome.modelVersion, segment);
    }

    public static String key(String model, String modelVersion, String segment) {
        return model + '\u0001' + modelVersion + '\u0001' + segment;
    }
}
