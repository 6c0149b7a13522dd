package dev.vigil.events;

import java.util.List;

/**
 * One parsed feedback event: what a person did with a prediction, and/or the ground truth for
 * it, keyed by the prediction's request id. A public-field POJO so Flink serializes it without Kryo.
 */
public class FeedbackEvent {
    public static final String ACCEPTED = "accepted";
    public static final String OVERRIDDEN = "overridden";
    public static final String IGNORED = "ignored";
    public static final String ESCALATED = "escalated";
    /** Every action the contract allows. */
    public static final List<String> ACTIONS = List.of(ACCEPTED, OVERRIDDEN, IGNORED, ESCALATED);

    public String requestId;
    public String model;
    /** Informational: the join takes the version from the prediction. Null when absent. */
    public String modelVersion;
    /** Event time of the feedback, UTC epoch milliseconds. */
    public long timestamp;
    /** One of {@link #ACTIONS}, or null when the event carries no action. */
    public String action;
    /** Ground-truth label of a classifier, or null. */
    public String trueLabel;
    /** Ground-truth value of a regression model, NaN when absent. */
    public double trueValue = Double.NaN;

    public FeedbackEvent() {}

    public boolean hasAction() {
        return action != null;
    }

    public boolean hasGroundTruth() {
        return trueLabel != null || !Double.isNaN(trueValue);
    }
}
