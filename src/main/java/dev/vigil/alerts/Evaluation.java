package dev.vigil.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * One detector result: how one thing (a {@link #kind} of check on a model version, segment and
 * optionally a feature) looked at one event time, and whether it breached its threshold.
 *
 * <p>Every detector (drift, data quality, service health, traffic, adoption, performance) emits
 * these; {@link AlertLifecycle} turns runs of them into alerts. Evaluations of the same key must
 * be emitted in event time (their {@link #evaluatedAt}) within the job's watermark: the lifecycle
 * processes them in that order when the watermark passes and ignores ones that arrive after it.
 *
 * <pre>{@code
 * new Evaluation("fraud-scorer", "3", "country=DE", "amount", "drift_psi", windowEnd)
 *         .result(Severity.CRITICAL, psi, 0.25, "PSI of amount is 0.41 (critical above 0.25): ...")
 *         .policy(3, 3);
 * }</pre>
 *
 * <p>A Flink POJO (public fields, no-arg constructor): serialized without Kryo.
 */
public class Evaluation {
    public static final int DEFAULT_FIRE_AFTER = 3;
    public static final int DEFAULT_RESOLVE_AFTER = 3;

    public String model;
    public String modelVersion;
    /** {@code all} or {@code <dimension>=<value>}. */
    public String segment;
    /** A feature name, {@code prediction}, or {@code ""} when the check is not about a feature. */
    public String feature = "";
    /** What was checked, e.g. {@code drift_psi}, {@code missing_rate}, {@code error_rate}, {@code latency_p99}. */
    public String kind;
    /** Event time the evaluation is about (e.g. the end of its window), UTC epoch ms. */
    public long evaluatedAt;
    /** Null when clean, else {@value Severity#WARNING} or {@value Severity#CRITICAL}. */
    public String severity;
    public Double score;
    public Double threshold;
    /** A sentence a person can act on: what was measured, against what, and where to look. */
    public String explanation;
    /** Open an alert after this many consecutive breaching evaluations (at least 1). */
    public int fireAfter = DEFAULT_FIRE_AFTER;
    /** Resolve (and de-escalate) after this many consecutive evaluations below the alert's severity (at least 1). */
    public int resolveAfter = DEFAULT_RESOLVE_AFTER;

    public Evaluation() {}

    public Evaluation(String model, String modelVersion, String segment, String feature, String kind, long evaluatedAt) {
        this.model = model;
        this.modelVersion = modelVersion;
        this.segment = segment;
        this.feature = feature == null ? "" : feature;
        this.kind = kind;
        this.evaluatedAt = evaluatedAt;
    }

    /** Sets the result; {@code severity} null means clean. Returns this. */
    public Evaluation result(String severity, Double score, Double threshold, String explanation) {
        this.severity = severity;
        this.score = score;
        this.threshold = threshold;
        this.explanation = explanation;
        return this;
    }

    /** Sets the alert policy for this key (the latest evaluation's policy applies). Returns this. */
    public Evaluation policy(int fireAfter, int resolveAfter) {
        this.fireAfter = fireAfter;
        this.resolveAfter = resolveAfter;
        return this;
    }

    /** True when the evaluation breached a threshold (severity set). */
    public boolean breaching() {
        return severity != null;
    }

    /** The lifecycle's key: one alert at a time per model, version, segment, feature and kind. */
    public String key() {
        return key(model, modelVersion, segment, feature, kind);
    }

    /** The id of the alert of this key opened at {@code openedAt}. */
    public String alertId(long openedAt) {
        return alertId(key(), openedAt);
    }

    /**
     * A stable, readable key: the parts joined by {@code /}, e.g.
     * {@code fraud-scorer/3/country=DE/amount/drift_psi}. Within a part, {@code %}, {@code /} and
     * {@code @} are written as {@code %25}, {@code %2F} and {@code %40}, so different parts never
     * give the same key; null parts are written as empty.
     */
    public static String key(String model, String modelVersion, String segment, String feature, String kind) {
        StringBuilder b = new StringBuilder(64);
        escape(b, model).append('/');
        escape(b, modelVersion).append('/');
        escape(b, segment).append('/');
        escape(b, feature).append('/');
        return escape(b, kind).toString();
    }

    /** {@code <key>@<openedAt as ISO-8601 instant>}, e.g. {@code fraud-scorer/3/all//error_rate@2026-11-27T04:10:00Z}. */
    public static String alertId(String key, long openedAt) {
        return key + '@' + Instant.ofEpochMilli(openedAt);
    }

    private static StringBuilder escape(StringBuilder b, String part) {
        if (part == null) return b;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '/' -> b.append("%2F");
                case '@' -> b.append("%40");
                default -> b.append(c);
            }
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && evaluatedAt == e.evaluatedAt && fireAfter == e.fireAfter
                && resolveAfter == e.resolveAfter && Objects.equals(model, e.model)
                && Objects.equals(modelVersion, e.modelVersion) && Objects.equals(segment, e.segment)
                && Objects.equals(feature, e.feature) && Objects.equals(kind, e.kind)
                && Objects.equals(severity, e.severity) && Objects.equals(score, e.score)
                && Objects.equals(threshold, e.threshold) && Objects.equals(explanation, e.explanation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, modelVersion, segment, feature, kind, evaluatedAt);
    }

    @Override
    public String toString() {
        return key() + "@" + Instant.ofEpochMilli(evaluatedAt) + " " + (severity == null ? "clean" : severity)
                + " score=" + score + " threshold=" + threshold;
    }
}
