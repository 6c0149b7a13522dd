package dev.vigil.performance;

import dev.vigil.feedback.Outcome;

/** Label outcomes as the feedback join emits them, for the performance tests. */
final class TestOutcomes {
    static final long PREDICTED_AT = 1_700_000_000_000L;

    private TestOutcomes() {}

    static Outcome label() {
        Outcome o = new Outcome();
        o.type = Outcome.LABEL;
        o.requestId = "r";
        o.model = "m";
        o.modelVersion = "v1";
        o.predictionTime = PREDICTED_AT;
        o.feedbackTime = PREDICTED_AT + 60_000;
        o.segmentValues = new String[0];
        return o;
    }

    /** A binary classifier's score and the true label. */
    static Outcome scored(double score, String trueLabel) {
        Outcome o = label();
        o.score = score;
        o.trueLabel = trueLabel;
        return o;
    }

    /** A classifier's predicted label (no score) and the true label. */
    static Outcome classified(String predictedLabel, String trueLabel) {
        Outcome o = label();
        o.predictedLabel = predictedLabel;
        o.trueLabel = trueLabel;
        return o;
    }

    static Outcome estimated(double predictedValue, double trueValue) {
        Outcome o = label();
        o.predictedValue = predictedValue;
        o.trueValue = trueValue;
        return o;
    }

    static Outcome delayed(Outcome o, long delayMs) {
        o.feedbackTime = o.predictionTime + delayMs;
        return o;
    }
}
