package dev.vigil.spec;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a model's drift is evaluated: against which reference, over which window and how often,
 * with which thresholds, and how many evaluations an alert needs to open and to resolve.
 *
 * <p>Thresholds are effect sizes (see docs/drift-metrics.md): at millions of rows every
 * difference is statistically significant, so p-values are opt-in.
 */
public record DriftSpec(
        Reference reference,
        Duration window,
        Duration every,
        long minSamples,
        int fireAfter,
        int resolveAfter,
        Map<String, Threshold> thresholds,
        Map<String, Map<String, Threshold>> featureThresholds,
        Double falseDiscoveryRate)
        implements Serializable {

    /** Metric names a spec may threshold. */
    public static final List<String> METRICS = List.of(
            "psi", "js", "ks", "wasserstein", "linf", "unseen-share", "missing-rate", "out-of-range-rate", "chi-square-p");

    /** The thresholds used when the spec names none: common effect-size rules of thumb. */
    public static final Map<String, Threshold> DEFAULT_THRESHOLDS = Map.of(
            "psi", new Threshold(0.1, 0.25),
            "js", new Threshold(0.1, 0.2),
            "unseen-share", new Threshold(0.01, 0.05),
            "missing-rate", new Threshold(0.05, 0.2),
            "out-of-range-rate", new Threshold(0.05, 0.2));

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(5);
    public static final long DEFAULT_MIN_SAMPLES = 1000;
    public static final int DEFAULT_FIRE_AFTER = 3;
    public static final int DEFAULT_RESOLVE_AFTER = 3;

    /** What the current window is compared with: a stored baseline, or the job's own profiles {@code trailing} earlier. */
    public record Reference(String baseline, Duration trailing) implements Serializable {
        public boolean isBaseline() {
            return baseline != null;
        }

        /** How drift_scores names it: the baseline's name or {@code trailing:24h}. */
        public String describe() {
            return isBaseline() ? baseline : "trailing:" + DurationText.format(trailing);
        }
    }

    /**
     * A warning and a critical level. For {@code chi-square-p} a breach is a p-value below the
     * level; for every other metric a value at or above it.
     */
    public record Threshold(double warning, double critical) implements Serializable {}

    /** The threshold of a metric for a feature: the feature's override, else the model's, else none. */
    public Threshold threshold(String feature, String metric) {
        Map<String, Threshold> own = featureThresholds.get(feature);
        if (own != null && own.containsKey(metric)) return own.get(metric);
        return thresholds.get(metric);
    }
}
