package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a model's performance is measured once ground truth arrives, and when it alerts: per
 * prediction-time window and segment, against configured reference values with an allowed margin,
 * judged {@code evaluate-after} the window closes (label maturity) and only with enough labels.
 *
 * <p>Margins are absolute, in the metric's units. A metric is a warning when it is worse than its
 * reference by more than its margin and critical when worse by more than twice the margin; "worse"
 * is lower for accuracy-like metrics, higher for losses and errors, and either way for
 * {@code mean_error} (bias).
 *
 * @param window prediction-time window of the metrics, a multiple of the model window
 * @param positiveLabel binary classification: the label counted as positive (null for other tasks)
 * @param threshold binary classification: scores at or above it predict the positive label
 * @param reference metric name → the value the model should reach (e.g. from its validation data)
 * @param margin metric name → allowed absolute worsening, for every metric of {@code reference}
 * @param minLabels fewer labels in a window and segment: its performance is not judged
 * @param evaluateAfter how long after a window closes its metrics are judged
 * @param minCoverage label coverage below this at evaluation is a {@code label_coverage} alert; null: not checked
 */
public record PerformanceSpec(
        ModelTask task,
        Duration window,
        String positiveLabel,
        double threshold,
        Map<String, Double> reference,
        Map<String, Double> margin,
        long minLabels,
        Duration evaluateAfter,
        Double minCoverage,
        int fireAfter,
        int resolveAfter)
        implements Serializable {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** The margin of a bounded metric (0–1) when the spec gives none. */
    public static final double DEFAULT_MARGIN = 0.05;
    public static final long DEFAULT_MIN_LABELS = 100;
    public static final Duration DEFAULT_EVALUATE_AFTER = Duration.ofHours(6);
    public static final int DEFAULT_FIRE_AFTER = 2;
    public static final int DEFAULT_RESOLVE_AFTER = 2;

    /** The metrics a spec may set a reference for, per task. */
    public static final Map<ModelTask, List<String>> METRICS = Map.of(
            ModelTask.BINARY_CLASSIFICATION, List.of("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "ece"),
            ModelTask.MULTICLASS_CLASSIFICATION, List.of("accuracy", "macro_f1"),
            ModelTask.REGRESSION, List.of("mae", "rmse", "mean_error", "mape"),
            ModelTask.RANKING, List.of());
    /** Metrics where a higher value is better; the others are losses and errors. */
    public static final Set<String> HIGHER_IS_BETTER = Set.of("accuracy", "precision", "recall", "f1", "roc_auc", "macro_f1");
    /** Metrics in the units of the model's output (or unbounded): no default margin makes sense. */
    static final Set<String> UNBOUNDED = Set.of("log_loss", "mae", "rmse", "mean_error", "mape");

    private static final Set<String> FIELDS = Set.of("window", "positive-label", "threshold", "reference", "margin",
            "min-labels", "evaluate-after", "coverage", "fire-after", "resolve-after");
    private static final Set<String> COVERAGE_FIELDS = Set.of("min");

    public PerformanceSpec {
        reference = Map.copyOf(reference);
        margin = Map.copyOf(margin);
    }

    /**
     * How much worse {@code value} is than {@code reference} for this metric: positive when worse
     * (a drop for accuracy-like metrics, a rise for losses, the growth of |bias| for mean_error).
     */
    public static double worsening(String metric, double value, double reference) {
        if (HIGHER_IS_BETTER.contains(metric)) return reference - value;
        if (metric.equals("mean_error")) return Math.abs(value) - Math.abs(reference);
        return value - reference;
    }

    static PerformanceSpec read(JsonNode node, String at, ModelTask task, PredictionSpec prediction, Duration modelWindow,
                                MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (!node.isObject()) {
            in.problem(at, "must be a mapping");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Duration window = in.windowMultiple(node, "window", at + ".window", DEFAULT_WINDOW, modelWindow);
        String positive = null;
        JsonNode p = node.get("positive-label");
        if (task == ModelTask.BINARY_CLASSIFICATION) {
            if (p != null) {
                if (!p.isValueNode() || p.isNull() || p.asText().isBlank()) {
                    in.problem(at + ".positive-label", "must be a label");
                } else {
                    positive = p.asText();
                    if (!prediction.labels().isEmpty() && !prediction.labels().contains(positive)) {
                        in.problem(at + ".positive-label", "'" + positive + "' is not one of prediction.labels " + prediction.labels());
                    }
                }
            } else if (!prediction.labels().isEmpty()) {
                positive = prediction.labels().get(0);
            } else {
                in.problem(at + ".positive-label", "is required when prediction.labels is not set");
            }
        } else if (p != null) {
            in.problem(at + ".positive-label", "only binary-classification models have a positive label");
        }
        double threshold = DEFAULT_THRESHOLD;
        JsonNode t = node.get("threshold");
        if (t != null) {
            if (task != ModelTask.BINARY_CLASSIFICATION) {
                in.problem(at + ".threshold", "only binary-classification models have a score threshold");
            } else if (!t.isNumber() || !Double.isFinite(t.doubleValue())) {
                in.problem(at + ".threshold", "must be a number");
            } else {
                threshold = t.doubleValue();
            }
        }
        List<String> metrics = task == null ? List.of() : METRICS.get(task);
        Map<String, Double> reference = new LinkedHashMap<>();
        JsonNode ref = node.get("reference");
        if (ref != null) {
            if (!ref.isObject()) {
                in.problem(at + ".reference", "must be a mapping of metric to value, e.g. {roc_auc: 0.86}");
            } else {
                for (Iterator<String> it = ref.fieldNames(); it.hasNext(); ) {
                    String metric = it.next();
                    if (task != null && !metrics.contains(metric)) {
                        in.problem(at + ".reference." + metric, "not a metric of " + task.specName() + " models ("
                                + (metrics.isEmpty() ? "they have label coverage and label delay only"
                                        : "expected one of " + String.join(", ", metrics)) + ")");
                    } else if (!ref.get(metric).isNumber() || !Double.isFinite(ref.get(metric).doubleValue())) {
                        in.problem(at + ".reference." + metric, "must be a number");
                    } else {
                        reference.put(metric, ref.get(metric).doubleValue());
                    }
                }
            }
        }
        Map<String, Double> margin = new LinkedHashMap<>();
        Double defaultMargin = null;
        JsonNode m = node.get("margin");
        if (m != null) {
            if (m.isNumber()) {
                if (m.doubleValue() <= 0) in.problem(at + ".margin", "must be above 0");
                else defaultMargin = m.doubleValue();
            } else if (m.isObject()) {
                for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                    String metric = it.next();
                    JsonNode v = m.get(metric);
                    if (!reference.containsKey(metric) && (ref == null || !ref.has(metric))) {
                        in.problem(at + ".margin." + metric, "has no reference value");
                    } else if (!v.isNumber() || v.doubleValue() <= 0) {
                        in.problem(at + ".margin." + metric, "must be a number above 0");
                    } else {
                        margin.put(metric, v.doubleValue());
                    }
                }
            } else {
                in.problem(at + ".margin", "must be a number (every metric) or a mapping of metric to number");
            }
        }
        for (String metric : reference.keySet()) {
            if (margin.containsKey(metric)) continue;
            if (defaultMargin != null) {
                margin.put(metric, defaultMargin);
            } else if (UNBOUNDED.contains(metric)) {
                in.problem(at + ".margin." + metric, "is required: the allowed worsening of " + metric + " in its own units");
            } else {
                margin.put(metric, DEFAULT_MARGIN);
            }
        }
        long minLabels = in.positiveInt(node, "min-labels", at, DEFAULT_MIN_LABELS);
        Duration evaluateAfter = in.duration(node, "evaluate-after", at + ".evaluate-after", DEFAULT_EVALUATE_AFTER);
        if (evaluateAfter.isNegative()) in.problem(at + ".evaluate-after", "must not be negative");
        Double minCoverage = null;
        JsonNode coverage = node.get("coverage");
        if (coverage != null) {
            if (!coverage.isObject() || !coverage.has("min")) {
                in.problem(at + ".coverage", "must be {min: <share of predictions with a label, 0-1>}");
            } else {
                in.unknownFields(coverage, COVERAGE_FIELDS, at + ".coverage");
                minCoverage = AdoptionSpec.rate(coverage, "min", at + ".coverage", in);
            }
        }
        int fireAfter = (int) in.positiveInt(node, "fire-after", at, DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) in.positiveInt(node, "resolve-after", at, DEFAULT_RESOLVE_AFTER);
        return new PerformanceSpec(task, window, positive, threshold, reference, margin, minLabels, evaluateAfter, minCoverage,
                fireAfter, resolveAfter);
    }
}
