package dev.vigil.feedback;

/**
 * What the feedback join hands to the adoption and performance aggregators: one sampled
 * prediction, and optionally what happened to it afterwards (a user's action, the ground truth).
 *
 * <p>The join emits one outcome when a sampled prediction arrives ({@link #action} and the
 * ground truth empty: it counts toward coverage denominators), and one for each feedback event
 * joined to it (the first action and the first ground truth per request count; later ones are
 * dropped and counted by the join). Aggregators place every outcome in the window of its
 * {@link #predictionTime}, so late feedback updates the window the prediction belongs to.
 *
 * <p>A Flink POJO (public fields, no-arg constructor): serialized without Kryo.
 */
public class Outcome {
    /** No feedback: the prediction itself. */
    public static final String PREDICTION = "prediction";
    /** A user's action on the prediction ({@link #action} is set). */
    public static final String ACTION = "action";
    /** Ground truth for the prediction ({@link #trueLabel} or {@link #trueValue} is set). */
    public static final String LABEL = "label";

    /** {@link #PREDICTION}, {@link #ACTION} or {@link #LABEL}. */
    public String type;
    public String requestId;
    public String model;
    public String modelVersion;
    /** Event time of the prediction, UTC epoch ms. */
    public long predictionTime;
    /**
     * The prediction's segment values, one per segment dimension of the model's spec in spec
     * order ({@code unknown} when absent), before any cardinality cap.
     */
    public String[] segmentValues;
    /** The score of a classifier, NaN when none. */
    public double score = Double.NaN;
    /** The predicted label, null when none. */
    public String predictedLabel;
    /** The predicted value of a regression model, NaN when none. */
    public double predictedValue = Double.NaN;
    public boolean error;
    public boolean fallback;
    /** Event time of the feedback event, UTC epoch ms; 0 for {@link #PREDICTION}. */
    public long feedbackTime;
    /** {@code accepted}, {@code overridden}, {@code ignored} or {@code escalated}; null unless {@link #ACTION}. */
    public String action;
    /** Ground-truth label of a classifier; null unless {@link #LABEL}. */
    public String trueLabel;
    /** Ground-truth value of a regression model; NaN unless {@link #LABEL}. */
    public double trueValue = Double.NaN;

    public Outcome() {}
}
