package dev.vigil.alerts;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of an alert, as {@link AlertLifecycle} emits it: the alert's full state after the
 * change (one row of the {@code alerts} table) plus what changed.
 *
 * <p>{@link #alertId} is the lifecycle key plus the opening time, so replays after a failure
 * produce the same id and the sinks' upserts rewrite the same row. A Flink POJO: serialized
 * without Kryo.
 */
public class AlertEvent {
    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";

    public static final String CHANGE_OPENED = "opened";
    public static final String CHANGE_ESCALATED = "escalated";
    public static final String CHANGE_DE_ESCALATED = "de-escalated";
    public static final String CHANGE_RESOLVED = "resolved";

    /** {@code <key>@<openedAt>}, see {@link Evaluation#alertId(String, long)}. */
    public String alertId;
    public String model;
    public String modelVersion;
    public String segment;
    /** A feature name, {@code prediction}, or {@code ""}. */
    public String feature;
    public String kind;
    /** {@value Severity#WARNING} or {@value Severity#CRITICAL} (for a resolved alert: its last severity). */
    public String severity;
    /** {@value #OPEN} or {@value #RESOLVED}. */
    public String status;
    /** Event time of the first breaching evaluation of the run that opened the alert, UTC epoch ms. */
    public long openedAt;
    /** Event time of the evaluation that opened the alert (when it was detected), UTC epoch ms. */
    public long firedAt;
    /** Event time of the evaluation that caused this change, UTC epoch ms. */
    public long updatedAt;
    /** Event time of the evaluation that completed the clean run; null while open. */
    public Long resolvedAt;
    /** Score and threshold of the evaluation that caused this change. */
    public Double score;
    public Double threshold;
    public String explanation;
    /** {@value #CHANGE_OPENED}, {@value #CHANGE_ESCALATED}, {@value #CHANGE_DE_ESCALATED} or {@value #CHANGE_RESOLVED}. */
    public String change;

    public AlertEvent() {}

    /** True while the alert is open. */
    public boolean open() {
        return OPEN.equals(status);
    }

    /** The lifecycle key of the alert ({@link Evaluation#key()}). */
    public String key() {
        return Evaluation.key(model, modelVersion, segment, feature, kind);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertEvent a && openedAt == a.openedAt && firedAt == a.firedAt && updatedAt == a.updatedAt
                && Objects.equals(alertId, a.alertId) && Objects.equals(model, a.model)
                && Objects.equals(modelVersion, a.modelVersion) && Objects.equals(segment, a.segment)
                && Objects.equals(feature, a.feature) && Objects.equals(kind, a.kind)
                && Objects.equals(severity, a.severity) && Objects.equals(status, a.status)
                && Objects.equals(resolvedAt, a.resolvedAt) && Objects.equals(score, a.score)
                && Objects.equals(threshold, a.threshold) && Objects.equals(explanation, a.explanation)
                && Objects.equals(change, a.change);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, updatedAt, change);
    }

    @Override
    public String toString() {
        return change + " " + alertId + " " + severity + " " + status + " at " + Instant.ofEpochMilli(updatedAt)
                + (resolvedAt == null ? "" : " resolved " + Instant.ofEpochMilli(resolvedAt))
                + " score=" + score + " threshold=" + threshold + ": " + explanation;
    }
}
