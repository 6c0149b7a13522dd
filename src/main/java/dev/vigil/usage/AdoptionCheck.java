package dev.vigil.usage;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.spec.AdoptionSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one window's override and ignore rates against their baseline (configured, or the mean
 * of the previous windows in {@link AdoptionHistory}): {@code override_rate} and
 * {@code ignore_rate} evaluations, score = the rate, threshold = baseline + margin.
 */
public final class AdoptionCheck {
    public static final String OVERRIDE_RATE = "override_rate";
    public static final String IGNORE_RATE = "ignore_rate";

    private AdoptionCheck() {}

    /**
     * The window's evaluations (none when it had fewer than {@code min-feedback} actions or no
     * baseline exists yet); records the window in {@code history} when it qualifies for a
     * trailing baseline.
     *
     * @param evaluatedAt window end + {@code adoption.evaluate-after}
     * @param history the previous windows' rates with a trailing baseline; null with a configured one
     */
    public static List<Evaluation> evaluate(AdoptionSpec spec, String model, String version, String segment,
                                            long windowStart, long windowEnd, long evaluatedAt, UsageWindow w,
                                            AdoptionHistory history) {
        List<Evaluation> out = new ArrayList<>(2);
        long feedback = w.feedback();
        if (feedback < spec.minFeedback()) return out;
        double overrideRate = (double) w.overridden / feedback;
        double ignoreRate = (double) w.ignored / feedback;
        Double overrideBaseline;
        Double ignoreBaseline;
        String baselineText;
        if (spec.trailing()) {
            boolean ready = history.size() >= spec.trailingWindows();
            overrideBaseline = ready ? history.meanOverrideRate() : null;
            ignoreBaseline = ready ? history.meanIgnoreRate() : null;
            baselineText = "the mean of the previous " + spec.trailingWindows() + " windows";
            history.record(overrideRate, ignoreRate, spec.trailingWindows());
        } else {
            overrideBaseline = spec.overrideRate();
            ignoreBaseline = spec.ignoreRate();
            baselineText = "the configured baseline";
        }
        String where = model + " " + version + ", segment " + segment + ", predictions " + Instant.ofEpochMilli(windowStart)
                + " to " + Instant.ofEpochMilli(windowEnd);
        if (overrideBaseline != null) {
            out.add(rate(spec, model, version, segment, evaluatedAt, OVERRIDE_RATE, "overridden", overrideRate, overrideBaseline,
                    w.overridden, feedback, baselineText, where));
        }
        if (ignoreBaseline != null) {
            out.add(rate(spec, model, version, segment, evaluatedAt, IGNORE_RATE, "ignored", ignoreRate, ignoreBaseline,
                    w.ignored, feedback, baselineText, where));
        }
        return out;
    }

    private static Evaluation rate(AdoptionSpec spec, String model, String version, String segment, long evaluatedAt,
                                   String kind, String verb, double rate, double baseline, long count, long feedback,
                                   String baselineText, String where) {
        double rise = rate - baseline;
        String severity = rise >= spec.criticalMargin() ? Severity.CRITICAL : rise >= spec.warningMargin() ? Severity.WARNING : null;
        double threshold = baseline + (Severity.CRITICAL.equals(severity) ? spec.criticalMargin() : spec.warningMargin());
        String explanation = String.format(Locale.ROOT,
                "%s: people %s %d of %d predictions with feedback (%s) against %s of %s (%s at %s, critical at %s)%s",
                where, verb, count, feedback, percent(rate), percent(baseline), baselineText,
                severity == null ? "warning" : severity, percent(baseline + spec.warningMargin()),
                percent(baseline + spec.criticalMargin()),
                severity == null ? "." : ". People do not trust these outputs: look at what changed for this segment.");
        return new Evaluation(model, version, segment, "", kind, evaluatedAt)
                .result(severity, rate, threshold, explanation)
                .policy(spec.fireAfter(), spec.resolveAfter());
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
