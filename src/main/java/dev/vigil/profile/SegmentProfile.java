package dev.vigil.profile;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.FeatureSpec;
import dev.vigil.spec.ModelSpec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything Vigil knows about one model version's traffic in one segment and window: service
 * counts, latency and prediction distributions, predicted labels, and a profile per feature.
 * Built by folding events in; partial profiles from subtasks merge into the total.
 */
public final class SegmentProfile {
    /** Distinct predicted labels kept per profile; more fold into {@link #OTHER_LABEL}. */
    public static final int MAX_LABELS = 100;
    public static final String OTHER_LABEL = "(other)";

    long events;
    long errors;
    long fallbacks;
    /** Events that arrived after the allowed lateness; counted here, not profiled. */
    long lateDropped;
    final NumericProfile latency;
    /** The score for classifiers, the predicted value for regression. */
    final NumericProfile score;
    final TreeMap<String, Long> labels;
    final NumericProfile[] numeric;
    final CategoricalProfile[] categorical;

    private SegmentProfile(NumericProfile latency, NumericProfile score, TreeMap<String, Long> labels,
                           NumericProfile[] numeric, CategoricalProfile[] categorical) {
        this.latency = latency;
        this.score = score;
        this.labels = labels;
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public static SegmentProfile empty(ModelSpec model) {
        NumericProfile[] numeric = new NumericProfile[model.numericFeatures().size()];
        for (int i = 0; i < numeric.length; i++) numeric[i] = new NumericProfile();
        CategoricalProfile[] categorical = new CategoricalProfile[model.categoricalFeatures().size()];
        for (int j = 0; j < categorical.length; j++) categorical[j] = new CategoricalProfile();
        return new SegmentProfile(new NumericProfile(), new NumericProfile(), new TreeMap<>(), numeric, categorical);
    }

    /** Folds one event in. This is the per-event hot path: no allocation beyond the sketches' own. */
    public void add(InferenceEvent e, ModelSpec model) {
        events++;
        if (e.error) errors++;
        if (e.fallback) fallbacks++;
        if (Double.isNaN(e.latencyMs)) {
            latency.addMissing();
        } else {
            latency.add(e.latencyMs, false);
        }
        double output = Double.isNaN(e.score) ? e.value : e.score;
        if (Double.isNaN(output)) {
            score.addMissing();
        } else {
            score.add(output, false);
        }
        if (e.label != null) addLabel(e.label, 1);
        for (int i = 0; i < numeric.length; i++) {
            switch (e.numericState[i]) {
                case InferenceEvent.PRESENT -> {
                    FeatureSpec f = model.numericFeatures().get(i);
                    double v = e.numeric[i];
                    numeric[i].add(v, f.outOfRange(v));
                }
                case InferenceEvent.MISSING -> numeric[i].addMissing();
                default -> numeric[i].addTypeMismatch();
            }
        }
        for (int j = 0; j < categorical.length; j++) {
            switch (e.categoricalState[j]) {
                case InferenceEvent.PRESENT -> categorical[j].add(e.categorical[j], model.expectedCategories(j));
                case InferenceEvent.MISSING -> categorical[j].addMissing();
                default -> categorical[j].addTypeMismatch();
            }
        }
    }

    public void addLateDropped() {
        lateDropped++;
    }

    private void addLabel(String label, long n) {
        if (labels.size() >= MAX_LABELS && !labels.containsKey(label)) label = OTHER_LABEL;
        labels.merge(label, n, Long::sum);
    }

    public void merge(SegmentProfile other) {
        events += other.events;
        errors += other.errors;
        fallbacks += other.fallbacks;
        lateDropped += other.lateDropped;
        latency.merge(other.latency);
        score.merge(other.score);
        other.labels.forEach(this::addLabel);
        for (int i = 0; i < numeric.length; i++) numeric[i].merge(other.numeric[i]);
        for (int j = 0; j < categorical.length; j++) categorical[j].merge(other.categorical[j]);
    }

    public long events() {
        return events;
    }

    public long errors() {
        return errors;
    }

    public long fallbacks() {
        return fallbacks;
    }

    public long lateDropped() {
        return lateDropped;
    }

    public NumericProfile latency() {
        return latency;
    }

    public NumericProfile score() {
        return score;
    }

    public Map<String, Long> labels() {
        return labels;
    }

    /** How many numeric features this profile holds (the spec's count when it was built). */
    public int numericCount() {
        return numeric.length;
    }

    public int categoricalCount() {
        return categorical.length;
    }

    public NumericProfile numeric(int i) {
        return numeric[i];
    }

    public CategoricalProfile categorical(int j) {
        return categorical[j];
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(events);
        out.writeLong(errors);
        out.writeLong(fallbacks);
        out.writeLong(lateDropped);
        latency.write(out);
        score.write(out);
        out.writeInt(labels.size());
        for (Map.Entry<String, Long> l : labels.entrySet()) {
            out.writeUTF(l.getKey());
            out.writeLong(l.getValue());
        }
        out.writeInt(numeric.length);
        for (NumericProfile n : numeric) n.write(out);
        out.writeInt(categorical.length);
        for (CategoricalProfile c : categorical) c.write(out);
    }

    static SegmentProfile read(DataInput in) throws IOException {
        long events = in.readLong();
        long errors = in.readLong();
        long fallbacks = in.readLong();
        long late = in.readLong();
        NumericProfile latency = NumericProfile.read(in);
        NumericProfile score = NumericProfile.read(in);
        TreeMap<String, Long> labels = new TreeMap<>();
        int nLabels = in.readInt();
        for (int i = 0; i < nLabels; i++) labels.put(in.readUTF(), in.readLong());
        NumericProfile[] numeric = new NumericProfile[in.readInt()];
        for (int i = 0; i < numeric.length; i++) numeric[i] = NumericProfile.read(in);
        CategoricalProfile[] categorical = new CategoricalProfile[in.readInt()];
        for (int j = 0; j < categorical.length; j++) categorical[j] = CategoricalProfile.read(in);
        SegmentProfile p = new SegmentProfile(latency, score, labels, numeric, categorical);
        p.events = events;
        p.errors = errors;
        p.fallbacks = fallbacks;
        p.lateDropped = late;
        return p;
    }
}
