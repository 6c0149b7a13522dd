package dev.vigil.feedback;

import dev.vigil.events.InferenceEvent;

/**
 * What {@link FeedbackJoin} keeps per request: the sampled prediction reduced to what the
 * aggregators read (no features), which feedback was already joined, and feedback that came
 * before its prediction. The model and request id are the state's key, so they are not repeated
 * here; feedback waiting for its prediction is a separate object, absent (one byte) in the common case.
 * A Flink POJO: serialized without Kryo, and fields may be added later (POJO schema evolution).
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
    /** Feedback that came before the prediction, or null. */
    public WaitingFeedback waiting;

    public RequestState() {}

    /** Keeps what the aggregators read of the prediction; its features are not kept. */
    void setPrediction(InferenceEvent p) {
        predicted = true;
        modelVersion = p.modelVersion;
        predictionTime = p.timestamp;
        segmentValues = p.segments;
        score = p.score;
        predictedLabel = p.label;
        predictedValue = p.value;
        error = p.error;
        fallback = p.fallback;
    }

    /** The first action and the first ground truth of a request whose prediction has not arrived yet. */
    public static class WaitingFeedback {
        /** Null when no action is waiting. */
        public String action;
        public long actionTime;
        public boolean groundTruth;
        public String trueLabel;
        public double trueValue = Double.NaN;
        public long groundTruthTime;

        public WaitingFeedback() {}

        boolean isEmpty() {
            return action == null && !groundTruth;
        }
    }
}
