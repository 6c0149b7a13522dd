package dev.vigil.demo;

import dev.vigil.generator.Incident;
import dev.vigil.generator.IncidentKind;
import dev.vigil.generator.SegmentSelector;
import dev.vigil.spec.SegmentDimension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches the incidents the generator injected with the alerts Vigil raised: for each incident
 * the first alert of a detecting kind on the same model, in a segment that holds the incident's
 * events, about the incident's feature where the alert kind names one, that fired while the
 * incident was on or shortly after; every alert that matches no incident is reported too, since a
 * false alarm is as much a result as a detection.
 */
public final class IncidentReport {
    /** How long after an incident ends an alert still counts as detecting it (detectors look back). */
    static final Duration GRACE = Duration.ofMinutes(45);
    /**
     * The grace for incidents seen through feedback: ground truth arrives minutes to hours after
     * the prediction, so a performance alert can come well after the incident ended.
     */
    static final Duration FEEDBACK_GRACE = Duration.ofHours(2);

    private static final Set<String> DRIFT_KINDS = Set.of("drift", "missing_rate", "out_of_range");
    /** Alert kinds whose {@code feature} is an input feature or the prediction. */
    private static final Set<String> FEATURE_KINDS = Set.of("drift", "missing_rate", "out_of_range", "stuck_feature",
            "check_missing", "check_out_of_range", "check_type_mismatch", "check_unseen");

    private IncidentReport() {}

    /** An alert as stored. */
    record Alert(String id, String model, String segment, String feature, String kind, String severity,
                 long firedAt, long openedAt, Long resolvedAt, String explanation) {}

    static List<Alert> alerts(String jdbcUrl, String user, String password) throws SQLException {
        List<Alert> alerts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement ps = c.prepareStatement("SELECT alert_id, model, segment, feature, kind, severity, fired_at, "
                     + "opened_at, resolved_at, explanation FROM alerts ORDER BY fired_at, alert_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                java.sql.Timestamp resolved = rs.getTimestamp(9);
                alerts.add(new Alert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).getTime(), rs.getTimestamp(8).getTime(),
                        resolved == null ? null : resolved.getTime(), rs.getString(10)));
            }
        }
        return alerts;
    }

    /** Fills the summary's incidents and unmatched alerts. */
    static DemoSummary withIncidents(DemoSummary summary, List<Incident> incidents, Instant simulatedStart, List<Alert> alerts) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<String> matched = new HashSet<>();
        for (Incident incident : incidents) {
            long injected = simulatedStart.plus(incident.start()).toEpochMilli();
            long latest = simulatedStart.plus(incident.end()).plus(grace(incident.kind())).toEpochMilli();
            Alert first = null;
            for (Alert a : alerts) {
                if (a.firedAt() < injected || a.firedAt() > latest || !about(incident, a)) continue;
                matched.add(a.id());
                if (first == null) first = a;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", incident.id());
            row.put("kind", incident.kind().id());
            row.put("model", incident.model());
            row.put("segment", incident.segment().toString());
            row.put("feature", feature(incident));
            row.put("injected_at", Instant.ofEpochMilli(injected).toString());
            row.put("detected_at", first == null ? null : Instant.ofEpochMilli(first.firedAt()).toString());
            row.put("delay_seconds", first == null ? null : (first.firedAt() - injected) / 1000);
            row.put("alert", first == null ? null : first.id());
            rows.add(row);
        }
        List<Map<String, Object>> unmatched = new ArrayList<>();
        for (Alert a : alerts) {
            if (matched.contains(a.id())) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("alert_id", a.id());
            row.put("model", a.model());
            row.put("segment", a.segment());
            row.put("feature", a.feature());
            row.put("kind", a.kind());
            row.put("severity", a.severity());
            row.put("fired_at", Instant.ofEpochMilli(a.firedAt()).toString());
            row.put("explanation", a.explanation());
            unmatched.add(row);
        }
        return new DemoSummary(summary.models(), summary.deadLettersWithoutModel(), rows, unmatched, summary.feedback());
    }

    static Duration grace(IncidentKind kind) {
        return kind == IncidentKind.CONCEPT_DRIFT || kind == IncidentKind.OVERRIDE_RISE ? FEEDBACK_GRACE : GRACE;
    }

    /** The feature an incident concerns, as alerts name it. */
    static String feature(Incident incident) {
        return incident.kind() == IncidentKind.SCORE_SHIFT ? "prediction" : incident.feature();
    }

    /**
     * Which alert kinds can detect which incident kind: the detector built for it, and the ones
     * that see the same symptom (a new category is an unseen value; a silent model is a traffic
     * drop to nothing; shifted scores of a calibrated model also lose calibration).
     */
    static Set<String> detectingKinds(IncidentKind kind) {
        return switch (kind) {
            case NUMERIC_SHIFT -> union(DRIFT_KINDS, Set.of("check_out_of_range", "check_missing"));
            case NEW_CATEGORY -> union(DRIFT_KINDS, Set.of("check_unseen"));
            case SCORE_SHIFT -> union(DRIFT_KINDS, Set.of("score_mean", "label_share", "performance"));
            case STUCK_FEATURE -> union(DRIFT_KINDS, Set.of("stuck_feature"));
            case ERROR_SPIKE -> Set.of("error_rate");
            case LATENCY_REGRESSION -> Set.of("latency_p99");
            case TRAFFIC_DROP -> Set.of("traffic");
            case SILENCE -> Set.of("silence", "traffic");
            case OVERRIDE_RISE -> Set.of("override_rate");
            case CONCEPT_DRIFT -> Set.of("performance");
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    static boolean about(Incident incident, Alert a) {
        if (!a.model().equals(incident.model()) || !detectingKinds(incident.kind()).contains(a.kind())) return false;
        return holdsIncidentEvents(incident.segment(), a.segment()) && aboutFeature(incident, a);
    }

    /**
     * Whether an alert's segment holds events of the incident: {@code all} always does, and so does
     * any segment of a dimension the incident does not restrict (country=DE traffic is also
     * channel=web traffic); of a restricted dimension only the incident's value does, or
     * {@code other} when the value is folded into it by a cardinality cap.
     */
    static boolean holdsIncidentEvents(SegmentSelector incidentSegment, String alertSegment) {
        if (alertSegment == null || alertSegment.isEmpty() || alertSegment.equals("all")) return true;
        int eq = alertSegment.indexOf('=');
        if (eq < 0) return true;
        String value = incidentSegment.conditions().get(alertSegment.substring(0, eq));
        String alertValue = alertSegment.substring(eq + 1);
        return value == null || value.equals(alertValue) || alertValue.equals(SegmentDimension.OTHER);
    }

    private static boolean aboutFeature(Incident incident, Alert a) {
        if (!FEATURE_KINDS.contains(a.kind())) return true;
        String alerted = a.feature() == null ? "" : a.feature();
        boolean output = alerted.equals("prediction") || alerted.equals("predicted_label");
        if (incident.kind() == IncidentKind.SCORE_SHIFT) return output;
        // A shifted input moves the model's output too: a prediction alert is part of the same incident.
        String feature = feature(incident);
        return feature == null || feature.isEmpty() || alerted.isEmpty() || alerted.equals(feature)
                || (output && incident.kind().needsFeature());
    }
}
