package dev.vigil.spec;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the job needs to know about one monitored model. Features are split into numeric
 * and categorical lists once, so the parser can put each value into a fixed slot and the
 * profile can update sketches by index instead of looking names up per event.
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ModelTask task;
    private final Duration window;
    private final Duration allowedLateness;
    private final List<SegmentDimension> segments;
    private final List<FeatureSpec> numericFeatures;
    private final List<FeatureSpec> categoricalFeatures;
    private final PredictionSpec prediction;
    private final DriftSpec drift;
    private final Monitors monitors;
    private final Map<String, Integer> featureSlots = new HashMap<>();
    private final Map<String, Integer> segmentSlots = new HashMap<>();
    private final List<Set<String>> expectedCategories;

    public ModelSpec(
            String name,
            ModelTask task,
            Duration window,
            Duration allowedLateness,
            List<SegmentDimension> segments,
            List<FeatureSpec> features,
            PredictionSpec prediction,
            DriftSpec drift,
            Monitors monitors) {
        this.name = name;
        this.task = task;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.segments = List.copyOf(segments);
        this.numericFeatures = features.stream().filter(f -> f.type() == FeatureType.NUMERIC).toList();
        this.categoricalFeatures = features.stream().filter(f -> f.type() == FeatureType.CATEGORICAL).toList();
        this.prediction = prediction;
        this.drift = drift;
        this.monitors = monitors == null ? Monitors.NONE : monitors;
        this.expectedCategories = categoricalFeatures.stream().map(FeatureSpec::categorySet).toList();
        for (int i = 0; i < numericFeatures.size(); i++) {
            featureSlots.put(numericFeatures.get(i).name(), i);
        }
        for (int i = 0; i < categoricalFeatures.size(); i++) {
            featureSlots.put(categoricalFeatures.get(i).name(), -1 - i);
        }
        for (int i = 0; i < this.segments.size(); i++) {
            segmentSlots.put(this.segments.get(i).name(), i);
        }
    }

    public String name() {
        return name;
    }

    public ModelTask task() {
        return task;
    }

    public Duration window() {
        return window;
    }

    public long windowMillis() {
        return window.toMillis();
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    public List<SegmentDimension> segments() {
        return segments;
    }

    public List<FeatureSpec> numericFeatures() {
        return numericFeatures;
    }

    public List<FeatureSpec> categoricalFeatures() {
        return categoricalFeatures;
    }

    public PredictionSpec prediction() {
        return prediction;
    }

    /** How drift is evaluated, or null when the spec asks for no drift evaluation. */
    public DriftSpec drift() {
        return drift;
    }

    /** SLOs and data checks on each window, or null when the spec sets none. */
    public ServiceSpec service() {
        return monitors.service();
    }

    /** Input and output checks on each window, or null when the spec sets none. */
    public ChecksSpec checks() {
        return monitors.checks();
    }

    /** Seasonal traffic anomaly detection, or null when off. */
    public TrafficSpec traffic() {
        return monitors.traffic();
    }

    /** Silent-model detection, or null when off. */
    public SilenceSpec silence() {
        return monitors.silence();
    }

    /** How feedback events are joined to predictions (time-to-live, sampling), or null when no feedback is joined. */
    public FeedbackSpec feedback() {
        return monitors.feedback();
    }

    /** Human adoption (accept, override, ignore rates) checks, or null when off. */
    public AdoptionSpec adoption() {
        return monitors.adoption();
    }

    /** Performance once ground truth arrives, or null when off. */
    public PerformanceSpec performance() {
        return monitors.performance();
    }

    /** Whether any detector reads this model's merged window profiles (drift, SLOs, checks, traffic, silence). */
    public boolean needsWindowProfiles() {
        return drift != null || service() != null || checks() != null || traffic() != null || silence() != null;
    }

    /** Every profiled feature's name, numeric first. */
    public List<String> featureNames() {
        return java.util.stream.Stream.concat(numericFeatures.stream(), categoricalFeatures.stream())
                .map(FeatureSpec::name).toList();
    }

    /**
     * The slot of a feature: {@code i >= 0} is numeric feature {@code i}, {@code -1 - j} is
     * categorical feature {@code j}, and {@code null} means the spec does not profile it.
     */
    public Integer featureSlot(String featureName) {
        return featureSlots.get(featureName);
    }

    /** The index of a segment dimension, or {@code null} if the spec does not profile it. */
    public Integer segmentSlot(String dimensionName) {
        return segmentSlots.get(dimensionName);
    }

    /** The declared categories of categorical feature {@code j}; empty when any value is expected. */
    public Set<String> expectedCategories(int j) {
        return expectedCategories.get(j);
    }

    /** Start of the tumbling window that holds the given event time. */
    public long windowStart(long eventTime) {
        return eventTime - Math.floorMod(eventTime, windowMillis());
    }
}
