package dev.vigil.generator;

import java.util.Arrays;

/** The mutable, reused working state of one inference event while it is being generated. */
final class EventDraft {

    static final byte VALUE = 0;
    static final byte NULL = 1;
    static final byte ABSENT = 2;

    final ModelProfile model;
    final String[] seg;
    final double[] num;
    final String[] cat;
    final byte[] state;

    long timestamp;
    String requestId;
    boolean error;
    String errorCode;
    boolean fallback;
    double score;
    String label;
    double value;
    double latencyMs;

    // What the world knows and the model does not: set by predict(), read by ground truth.
    /** Binary classifier: the calibrated probability of the positive class, before any score_shift. */
    double truthProbability;
    /** Multiclass classifier: the index of the true class. */
    int truthClass;
    /** Regression: the model's value before any score_shift, the centre of the true value. */
    double truthCentre;
    /** The ground truth drawn for feedback: a label, or a value (NaN when a label). */
    String trueLabel;
    double trueValue;

    EventDraft(ModelProfile model) {
        this.model = model;
        this.seg = new String[model.segmentNames.length];
        int n = model.features.length;
        this.num = new double[n];
        this.cat = new String[n];
        this.state = new byte[n];
    }

    void reset() {
        Arrays.fill(seg, null);
        Arrays.fill(num, 0.0);
        Arrays.fill(cat, null);
        Arrays.fill(state, VALUE);
        timestamp = 0;
        requestId = null;
        error = false;
        errorCode = null;
        fallback = false;
        score = Double.NaN;
        label = null;
        value = Double.NaN;
        latencyMs = 0;
        truthProbability = Double.NaN;
        truthClass = -1;
        truthCentre = Double.NaN;
        trueLabel = null;
        trueValue = Double.NaN;
    }

    boolean present(int feature) {
        return state[feature] == VALUE;
    }

    /** A numeric feature's value, or {@code fallback} when it is missing. */
    double numOr(int feature, double fallbackValue) {
        return state[feature] == VALUE ? num[feature] : fallbackValue;
    }

    /** A categorical feature's value, or null when it is missing. */
    String catOrNull(int feature) {
        return state[feature] == VALUE ? cat[feature] : null;
    }

    int missingCount() {
        int c = 0;
        for (byte s : state) {
            if (s != VALUE) {
                c++;
            }
        }
        return c;
    }

    int outOfRangeCount() {
        int c = 0;
        FeatureDef[] fs = model.features;
        for (int i = 0; i < fs.length; i++) {
            if (fs[i].numeric && state[i] == VALUE && (num[i] < fs[i].min || num[i] > fs[i].max)) {
                c++;
            }
        }
        return c;
    }
}
