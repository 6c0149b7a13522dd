package dev.vigil.performance;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.spec.PerformanceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Judges one window's performance once its labels have matured: a {@code performance}
 * evaluation per reference metric (feature = the metric; none with fewer than {@code min-labels}
 * scored labels) and a {@code label_coverage} evaluation when the spec sets a minimum coverage.
 */
public final class PerformanceCheck {
    public static final String PERFORMANCE = "performance";
    public static final String LABEL_COVERAGE = "label_coverage";

    private PerformanceCheck() {}

    /** @param evaluatedAt window end + {@code performance.evaluate-after} */
    public static List<Evaluation> evaluate(PerformanceSpec spec, String model, String version, String segment,
                                            long windowStart, long windowEnd, long evaluatedAt, PerformanceAccumulator acc) {
        List<Evaluation> out = new ArrayList<>();
        SortedMap<String, Double> metrics = acc.metrics();
        String where = model + " " + version + ", segment " + segment + ", predictions " + Instant.ofEpochMilli(windowStart)
                + " to " + Instant.ofEpochMilli(windowEnd);
        if (acc.evaluatedLabels() >= spec.minLabels()) {
            for (Map.Entry<String, Double> ref : spec.reference().entrySet()) {
                Double value = metrics.get(ref.getKey());
                if (value == null) continue; // undefined for these labels (e.g. recall without positives)
                out.add(metric(spec, model, version, segment, evaluatedAt, ref.getKey(), value, ref.getValue(),
                        spec.margin().get(ref.getKey()), acc, where));
            }
        }
        if (spec.minCoverage() != null && acc.predictions() >= spec.minLabels()) {
            double coverage = (double) acc.labels() / acc.predictions();
            double min = spec.minCoverage();
            String severity = coverage < min / 2 ? Severity.CRITICAL : coverage < min ? Severity.WARNING : null;
            out.add(new Evaluation(model, version, segment, "", LABEL_COVERAGE, evaluatedAt)
                    .result(severity, coverage, Severity.CRITICAL.equals(severity) ? min / 2 : min, String.format(Locale.ROOT,
                            "%s: %d of %d predictions have a label %s after the window closed (%s coverage; %s below %s, critical below %s)%s",
                            where, acc.labels(), acc.predictions(), describe(evaluatedAt - windowEnd), percent(coverage),
                            severity == null ? "warning" : severity, percent(min), percent(min / 2),
                            severity == null ? "." : ". Labels are missing: check the feedback producer and the feedback topic."))
                    .policy(spec.fireAfter(), spec.resolveAfter()));
        }
        return out;
    }

    private static Evaluation metric(PerformanceSpec spec, String model, String version, String segment, long evaluatedAt,
                                     String metric, double value, double reference, double margin,
                                     PerformanceAccumulator acc, String where) {
        double worse = PerformanceSpec.worsening(metric, value, reference);
        String severity = worse > 2 * margin ? Severity.CRITICAL : worse > margin ? Severity.WARNING : null;
        double allowed = Severity.CRITICAL.equals(severity) ? 2 * margin : margin;
        boolean higher = PerformanceSpec.HIGHER_IS_BETTER.contains(metric);
        boolean bias = metric.equals("mean_error");
        // The threshold in the metric's own units: where the value becomes a breach of this severity.
        double threshold = higher ? reference - allowed : bias ? Math.abs(reference) + allowed : reference + allowed;
        String limits = higher
                ? String.format(Locale.ROOT, "warning below %s, critical below %s", fmt(reference - margin), fmt(reference - 2 * margin))
                : String.format(Locale.ROOT, "warning above %s, critical above %s", fmt((bias ? Math.abs(reference) : reference) + margin),
                        fmt((bias ? Math.abs(reference) : reference) + 2 * margin));
        String explanation = String.format(Locale.ROOT, "%s: %s%s is %s against a reference of %s (%s), from %d labels of %d predictions%s",
                where, metric, bias ? " (absolute)" : "", fmt(bias ? Math.abs(value) : value), fmt(bias ? Math.abs(reference) : reference),
                limits, acc.evaluatedLabels(), acc.predictions(),
                severity == null ? "." : ". The inputs may look unchanged while the relation to the outcome moved (concept drift): compare segments and recent labels.");
        return new Evaluation(model, version, segment, metric, PERFORMANCE, evaluatedAt)
                .result(severity, bias ? Math.abs(value) : value, threshold, explanation)
                .policy(spec.fireAfter(), spec.resolveAfter());
    }

    private static String describe(long millis) {
        return dev.vigil.spec.DurationText.format(java.time.Duration.ofMillis(millis));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
