package dev.vigil.feedback;

/**
 * What {@link FeedbackJoin} keeps per request: the sampled prediction reduced to what the
 * aggregators read (no features), which feedback was already joined, and feedback that came
 * before its prediction. The model and request id are the state's key, so they are not repeated here.
 * A Flink POJO: serialized without Kryo, and its fields may be added to later (POJO schema evolution).
 */
public class RequestState {
    /** The prediction has arrived; the fields below up to {@link #groundTruthJoined} are set. */
    public boolean predicted;
    public String modelVersion;
    public long predictionTime;
    public String[] segmentValues;
    public double score = Double.NaN;
    public String predictedLabel;
    public double predictedValue = Double.NaN;
    public boolean error;
    public boolean fallback;
    /** The first action was joined; later ones are duplicates. */
    public boolean actionJoined;
    /** The first ground truth was joined; later ones are duplicates. */
    public boolean groundTruthJoined;

    /** The first action that came before the prediction, or null. */
    public String pendingAction;
    public long pendingActionTime;
    /** Ground truth came before the prediction. */
    public boolean pendingGroundTruth;
    public String pendingTrueLabel;
    public double pendingTrueValue = Double.NaN;
    public long pendingGroundTruthTime;

    public RequestState() {}

    boolean waiting() {
        return pendingAction != null || pendingGroundTruth;
    }
}
