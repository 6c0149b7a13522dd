package dev.vigil.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * One scheduled incident: from {@code start} (offset from the simulated start) for
 * {@code duration}, events of {@code model} in {@code segment} are changed as {@code kind} says.
 *
 * @param id a name for reports (defaults to {@code <kind>-<n>} in a scenario)
 * @param kind what happens
 * @param model the affected model
 * @param segment which of its events (never null; {@link SegmentSelector#ALL} for all)
 * @param feature the affected feature for feature kinds, otherwise null
 * @param start offset from the simulated start
 * @param duration how long it lasts
 * @param magnitude the size of the effect; its meaning depends on the kind (see {@link IncidentKind})
 * @param value for {@code new_category}: the new category; for {@code stuck_feature}: the constant
 *     (a number for numeric features); null for the per-feature default
 */
public record Incident(
        String id,
        IncidentKind kind,
        String model,
        SegmentSelector segment,
        String feature,
        Duration start,
        Duration duration,
        double magnitude,
        String value) {

    public Incident {
        Objects.requireNonNull(kind, "kind");
        segment = segment == null ? SegmentSelector.ALL : segment;
    }

    /** A convenience constructor without id and value. */
    public Incident(IncidentKind kind, String model, String segment, String feature, Duration start,
            Duration duration, double magnitude) {
        this(null, kind, model, SegmentSelector.parse(segment), feature, start, duration, magnitude, null);
    }

    /** The end offset (exclusive). */
    public Duration end() {
        return start.plus(duration);
    }

    /** Whether the incident is in effect at an offset from the simulated start. */
    public boolean activeAt(Duration offset) {
        return offset.compareTo(start) >= 0 && offset.compareTo(end()) < 0;
    }

    Incident withId(String newId) {
        return new Incident(newId, kind, model, segment, feature, start, duration, magnitude, value);
    }

    /** One line for reports, e.g. {@code numeric_shift fraud-scorer country=DE amount +1h..+1h45m x1.5}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (id != null) {
            sb.append(id).append(": ");
        }
        sb.append(kind.id()).append(' ').append(model).append(' ').append(segment);
        if (feature != null) {
            sb.append(' ').append(feature);
        }
        sb.append(" +").append(Durations.format(start)).append("..+").append(Durations.format(end()));
        if (kind != IncidentKind.SILENCE && !Double.isNaN(magnitude)) {
            sb.append(" magnitude=").append(magnitude);
        }
        if (value != null) {
            sb.append(" value=").append(value);
        }
        return sb.toString();
    }
}
