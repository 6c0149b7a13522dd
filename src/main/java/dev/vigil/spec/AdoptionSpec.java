package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How people's use of a model's outputs is watched: per prediction-time window and segment, the
 * shares of accepted, overridden, ignored and escalated predictions, and alerts when the override
 * or ignore rate rises above its baseline.
 *
 * <p>The margin is absolute (rates are fractions 0–1): a rate is a warning at
 * {@code baseline + margin.warning} and critical at {@code baseline + margin.critical}. An
 * absolute margin means the same thing at every baseline; a relative one would flag a 1% → 2%
 * move, which at a few hundred actions per window is noise.
 *
 * @param window prediction-time window of the usage rows, a multiple of the model window
 * @param trailingWindows with a trailing baseline: how many previous windows' rates are averaged; 0 with a configured one
 * @param overrideRate the configured override-rate baseline, or null (trailing, or not evaluated)
 * @param ignoreRate the configured ignore-rate baseline, or null (trailing, or not evaluated)
 * @param warningMargin how far above the baseline a rate is a warning
 * @param criticalMargin how far above the baseline a rate is critical
 * @param minFeedback fewer actions in a window: its rates are not evaluated
 * @param evaluateAfter how long after a window closes its rates are evaluated (actions arrive after predictions)
 */
public record AdoptionSpec(
        Duration window,
        int trailingWindows,
        Double overrideRate,
        Double ignoreRate,
        double warningMargin,
        double criticalMargin,
        long minFeedback,
        Duration evaluateAfter,
        int fireAfter,
        int resolveAfter)
        implements Serializable {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_TRAILING_WINDOWS = 24;
    public static final double DEFAULT_WARNING_MARGIN = 0.05;
    public static final double DEFAULT_CRITICAL_MARGIN = 0.15;
    public static final long DEFAULT_MIN_FEEDBACK = 100;
    public static final Duration DEFAULT_EVALUATE_AFTER = Duration.ofMinutes(15);
    public static final int DEFAULT_FIRE_AFTER = 2;
    public static final int DEFAULT_RESOLVE_AFTER = 2;

    private static final Set<String> FIELDS = Set.of(
            "window", "baseline", "margin", "min-feedback", "evaluate-after", "fire-after", "resolve-after");
    private static final Set<String> BASELINE_FIELDS = Set.of("trailing", "override-rate", "ignore-rate");
    private static final Set<String> MARGIN_FIELDS = Set.of("warning", "critical");

    /** True when the baseline is the mean of the previous {@link #trailingWindows} windows. */
    public boolean trailing() {
        return trailingWindows > 0;
    }

    static AdoptionSpec read(JsonNode node, String at, Duration modelWindow, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (!node.isObject()) {
            in.problem(at, "must be a mapping");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Duration window = in.windowMultiple(node, "window", at + ".window", DEFAULT_WINDOW, modelWindow);
        int trailing = DEFAULT_TRAILING_WINDOWS;
        Double overrideRate = null;
        Double ignoreRate = null;
        JsonNode baseline = node.get("baseline");
        if (baseline != null) {
            if (!baseline.isObject() || baseline.isEmpty()) {
                in.problem(at + ".baseline", "must be {trailing: <windows>} or {override-rate: <rate>, ignore-rate: <rate>}");
            } else {
                in.unknownFields(baseline, BASELINE_FIELDS, at + ".baseline");
                if (baseline.has("trailing")) {
                    if (baseline.has("override-rate") || baseline.has("ignore-rate")) {
                        in.problem(at + ".baseline", "either trailing or configured rates, not both");
                    }
                    trailing = (int) Math.min(in.positiveInt(baseline, "trailing", at + ".baseline", DEFAULT_TRAILING_WINDOWS), 10_000);
                } else {
                    trailing = 0;
                    overrideRate = rate(baseline, "override-rate", at + ".baseline", in);
                    ignoreRate = rate(baseline, "ignore-rate", at + ".baseline", in);
                }
            }
        }
        double warning = DEFAULT_WARNING_MARGIN;
        double critical = DEFAULT_CRITICAL_MARGIN;
        JsonNode margin = node.get("margin");
        if (margin != null) {
            if (!margin.isObject()) {
                in.problem(at + ".margin", "must be {warning: <rise>, critical: <rise>}, rises of a rate (0-1) over its baseline");
            } else {
                in.unknownFields(margin, MARGIN_FIELDS, at + ".margin");
                Double w = rate(margin, "warning", at + ".margin", in);
                Double c = rate(margin, "critical", at + ".margin", in);
                if (w != null) warning = w;
                if (c != null) critical = c;
                if (w != null && c == null && warning > critical) critical = warning;
                if (warning <= 0 || critical < warning) {
                    in.problem(at + ".margin", "warning must be above 0 and critical at or above warning");
                }
            }
        }
        long minFeedback = in.positiveInt(node, "min-feedback", at, DEFAULT_MIN_FEEDBACK);
        Duration evaluateAfter = in.duration(node, "evaluate-after", at + ".evaluate-after", DEFAULT_EVALUATE_AFTER);
        if (evaluateAfter.isNegative()) in.problem(at + ".evaluate-after", "must not be negative");
        int fireAfter = (int) in.positiveInt(node, "fire-after", at, DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) in.positiveInt(node, "resolve-after", at, DEFAULT_RESOLVE_AFTER);
        return new AdoptionSpec(window, trailing, overrideRate, ignoreRate, warning, critical, minFeedback, evaluateAfter,
                fireAfter, resolveAfter);
    }

    /** A number from 0 to 1, or null when absent or invalid (the problem is recorded). */
    static Double rate(JsonNode parent, String field, String at, MonitorSpecLoader in) {
        JsonNode v = parent.get(field);
        if (v == null) return null;
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
            in.problem(at + "." + field, "must be a number from 0 to 1");
            return null;
        }
        return v.doubleValue();
    }
}
