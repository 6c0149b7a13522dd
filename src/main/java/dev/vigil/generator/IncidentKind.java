package dev.vigil.generator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of incident a scenario can schedule, with their scenario-file names. */
public enum IncidentKind {
    /** A numeric feature's mean shifts by {@code magnitude} reference standard deviations. */
    NUMERIC_SHIFT("numeric_shift", true),
    /** A categorical feature takes a value outside the spec's categories with share {@code magnitude}. */
    NEW_CATEGORY("new_category", true),
    /**
     * Prediction scores shift up: {@code magnitude} is added to the log-odds of a binary score and to
     * the top logit of a multiclass model; a regression value is multiplied by {@code 1 + magnitude}.
     */
    SCORE_SHIFT("score_shift", false),
    /** The error rate rises to {@code magnitude} (a share in [0, 1]). */
    ERROR_SPIKE("error_spike", false),
    /** Latency is multiplied by {@code magnitude}. */
    LATENCY_REGRESSION("latency_regression", false),
    /** Segment traffic is multiplied by {@code magnitude} (below 1 a drop, above 1 a surge). */
    TRAFFIC_DROP("traffic_drop", false),
    /** The model (or the segment) sends nothing. */
    SILENCE("silence", false),
    /** A feature arrives constant ({@code value}, or a per-feature default) for share {@code magnitude} (default 1). */
    STUCK_FEATURE("stuck_feature", true),
    /**
     * Users override the model's answers more often: {@code magnitude} is the share of actions that
     * are overrides (the other actions keep their relative weights). Shows in feedback events only.
     */
    OVERRIDE_RISE("override_rise", false),
    /**
     * The relation between inputs and truth changes while the inputs do not: with probability
     * {@code magnitude} a prediction's ground truth is drawn independently of its inputs and score
     * (a classifier's label from the traffic's base rates, a regression value far from the model's).
     * Inputs and predictions stay byte-identical; accuracy, AUC and log loss decay. Shows in
     * feedback events only.
     */
    CONCEPT_DRIFT("concept_drift", false);

    private final String id;
    private final boolean needsFeature;

    IncidentKind(String id, boolean needsFeature) {
        this.id = id;
        this.needsFeature = needsFeature;
    }

    /** The name used in scenario files, e.g. {@code numeric_shift}. */
    public String id() {
        return id;
    }

    /** Whether the incident applies to one feature (and so needs {@code feature}). */
    public boolean needsFeature() {
        return needsFeature;
    }

    /** Looks up a kind by its scenario name (case-insensitive; '-' is accepted for '_'). */
    public static IncidentKind fromId(String id) {
        String norm = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (IncidentKind k : values()) {
            if (k.id.equals(norm)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown incident kind '" + id + "' (known: " + allIds() + ")");
    }

    static String allIds() {
        return Arrays.stream(values()).map(IncidentKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
