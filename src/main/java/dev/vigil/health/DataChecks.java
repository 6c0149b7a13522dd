package dev.vigil.health;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.profile.CategoricalProfile;
import dev.vigil.profile.NumericProfile;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.ChecksSpec;
import dev.vigil.spec.DriftSpec;
import dev.vigil.spec.FeatureSpec;
import dev.vigil.spec.ModelTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's input and output checks on one window and segment, from the profile's exact counts:
 * per feature the missing, out-of-range, wrong-type and unseen-category rates against their
 * limits and whether the feature arrived constant; for the output, the mean score and each
 * predicted label's share against their bands. Each check needs at least {@code min-events}
 * values in its denominator. Clean results are emitted too, so open alerts resolve.
 * Formulas: docs/checks.md.
 */
final class DataChecks {
    static final String MISSING = "check_missing";
    static final String OUT_OF_RANGE = "check_out_of_range";
    static final String TYPE_MISMATCH = "check_type_mismatch";
    static final String UNSEEN = "check_unseen";
    static final String STUCK = "stuck_feature";
    static final String SCORE_MEAN = "score_mean";
    static final String LABEL_SHARE = "label_share";

    /** The feature of {@link #SCORE_MEAN}: the pseudo-feature drift also names the score by. */
    static final String PREDICTION = dev.vigil.drift.DriftEvaluator.PREDICTION;

    private static final int UNSEEN_EXAMPLES = 3;

    private final CheckedWindow w;
    private final ChecksSpec checks;
    private final List<Evaluation> out = new ArrayList<>();

    private DataChecks(CheckedWindow w, ChecksSpec checks) {
        this.w = w;
        this.checks = checks;
    }

    static List<Evaluation> evaluate(CheckedWindow w, ChecksSpec checks, SegmentProfile p) {
        DataChecks c = new DataChecks(w, checks);
        List<FeatureSpec> numeric = w.model().numericFeatures();
        for (int i = 0; i < numeric.size(); i++) c.numeric(numeric.get(i), p.numeric(i));
        List<FeatureSpec> categorical = w.model().categoricalFeatures();
        for (int j = 0; j < categorical.size(); j++) c.categorical(categorical.get(j), p.categorical(j), w.model().expectedCategories(j));
        c.scoreMean(p.score());
        c.labelShares(p.labels());
        return c.out;
    }

    private void numeric(FeatureSpec f, NumericProfile p) {
        long observations = p.count() + p.missing() + p.typeMismatch() + p.nanOrInfinite();
        rate(f.name(), MISSING, ChecksSpec.MISSING_RATE, p.missing() + p.nanOrInfinite(), observations,
                "is missing (absent, null, NaN or infinite) in", "events");
        rate(f.name(), TYPE_MISMATCH, ChecksSpec.TYPE_MISMATCH_RATE, p.typeMismatch(), observations,
                "has a value of the wrong type in", "events");
        if (f.hasRange()) {
            rate(f.name(), OUT_OF_RANGE, ChecksSpec.OUT_OF_RANGE_RATE, p.outOfRange(), p.count(),
                    "is outside its range [" + CheckedWindow.number(f.min()) + ", " + CheckedWindow.number(f.max()) + "] in",
                    "values");
        }
        String severity = checks.stuckSeverity(f.name());
        if (severity != null && p.count() >= checks.minEvents()) {
            boolean stuck = p.min().doubleValue() == p.max().doubleValue();
            stuck(f.name(), severity, stuck, p.count(), stuck
                    ? "is constant at " + CheckedWindow.number(p.min())
                    : "ranges from " + CheckedWindow.number(p.min()) + " to " + CheckedWindow.number(p.max()));
        }
    }

    private void categorical(FeatureSpec f, CategoricalProfile p, Set<String> expected) {
        long observations = p.count() + p.missing() + p.typeMismatch();
        rate(f.name(), MISSING, ChecksSpec.MISSING_RATE, p.missing(), observations, "is missing (absent or null) in", "events");
        rate(f.name(), TYPE_MISMATCH, ChecksSpec.TYPE_MISMATCH_RATE, p.typeMismatch(), observations,
                "has a value of the wrong type in", "events");
        if (!expected.isEmpty()) {
            List<String> examples = p.topValues(expected.size() + UNSEEN_EXAMPLES).stream()
                    .filter(v -> !expected.contains(v.value())).limit(UNSEEN_EXAMPLES)
                    .map(v -> v.value() + " (" + v.count() + ")").toList();
            Evaluation e = rate(f.name(), UNSEEN, ChecksSpec.UNSEEN_RATE, p.unexpected(), p.count(),
                    "has a value outside its categories in", "values");
            if (e != null && e.breaching() && !examples.isEmpty()) {
                e.explanation += "; most frequent: " + String.join(", ", examples);
            }
        }
        String severity = checks.stuckSeverity(f.name());
        if (severity != null && p.count() >= checks.minEvents()) {
            String value = p.constantValue();
            stuck(f.name(), severity, value != null, p.count(), value != null
                    ? "is constant at '" + value + "'"
                    : "has about " + Math.round(p.distinctEstimate()) + " distinct values");
        }
    }

    /** A rate {@code part / whole} against its limit; null when not checked or too few values. */
    private Evaluation rate(String feature, String kind, String rate, long part, long whole, String what, String unit) {
        DriftSpec.Threshold t = checks.limit(feature, rate);
        if (t == null || whole < checks.minEvents()) return null;
        double share = (double) part / whole;
        String severity = ServiceHealth.above(share, t);
        String text = feature + " " + what + " " + CheckedWindow.percent(share) + " of " + whole + " " + unit
                + " (" + part + ") " + w.where() + ", "
                + (severity == null
                        ? "within the limit (warning above " + CheckedWindow.percent(t.warning()) + ")"
                        : "above the limit of " + CheckedWindow.percent(ServiceHealth.level(severity, t)) + " (" + severity + ")");
        Evaluation e = w.evaluation(feature, kind, checks.fireAfter(), checks.resolveAfter())
                .result(severity, share, ServiceHealth.level(severity, t), text);
        out.add(e);
        return e;
    }

    /** Score 1 when every present value was the same, 0 otherwise. */
    private void stuck(String feature, String severity, boolean stuck, long values, String what) {
        String text = feature + " " + what + " across " + values + " values " + w.where()
                + (stuck ? " (" + severity + "): is its upstream stuck? Set checks.features." + feature
                        + ".stuck: false if a constant is expected" : "");
        out.add(w.evaluation(feature, STUCK, checks.fireAfter(), checks.resolveAfter())
                .result(stuck ? severity : null, stuck ? 1.0 : 0.0, 1.0, text));
    }

    private void scoreMean(NumericProfile score) {
        ChecksSpec.Band band = checks.scoreMean();
        if (band == null || score.count() < checks.minEvents()) return;
        double mean = score.mean();
        String label = w.model().task() == ModelTask.REGRESSION ? "mean predicted value" : "mean score";
        out.add(band(label + " " + CheckedWindow.number(mean) + " over " + score.count() + " predictions " + w.where(),
                PREDICTION, SCORE_MEAN, mean, band, CheckedWindow::number));
    }

    private void labelShares(Map<String, Long> labels) {
        if (checks.labelShare().isEmpty()) return;
        long total = labels.values().stream().mapToLong(Long::longValue).sum();
        if (total < checks.minEvents()) return;
        for (Map.Entry<String, ChecksSpec.Band> e : checks.labelShare().entrySet()) {
            long n = labels.getOrDefault(e.getKey(), 0L);
            double share = (double) n / total;
            out.add(band("predicted label " + e.getKey() + " is " + CheckedWindow.percent(share) + " of " + total
                            + " predictions (" + n + ") " + w.where(),
                    e.getKey(), LABEL_SHARE, share, e.getValue(), CheckedWindow::percent));
        }
    }

    private Evaluation band(String head, String feature, String kind, double value, ChecksSpec.Band band,
                            java.util.function.DoubleFunction<String> fmt) {
        String severity = band.severity(value);
        String range = "[" + fmt.apply(band.warningLow()) + ", " + fmt.apply(band.warningHigh()) + "]";
        String text = head + (severity == null
                ? ", inside its expected band " + range
                : ", " + (value < band.warningLow() ? "below" : "above") + " its expected band " + range
                        + (Severity.CRITICAL.equals(severity) ? " and beyond the critical bound " + fmt.apply(band.crossed(value)) : "")
                        + " (" + severity + ")");
        return w.evaluation(feature, kind, checks.fireAfter(), checks.resolveAfter())
                .result(severity, value, band.crossed(value), text);
    }
}
