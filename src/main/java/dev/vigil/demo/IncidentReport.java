package dev.vigil.demo;

import dev.vigil.generator.Incident;
import dev.vigil.generator.IncidentKind;
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
 * the first alert of a detecting kind on the same model and feature, in any segment, that fired
 * while the incident was on or shortly after; every alert that matches no incident is reported too,
 * since a false alarm is as much a result as a detection.
 */
public final class IncidentReport {
    /** How long after an incident ends an alert still counts as detecting it (detectors look back). */
    static final Duration GRACE = Duration.ofMinutes(45);

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
            long latest = simulatedStart.plus(incident.end()).plus(GRACE).toEpochMilli();
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
        return new DemoSummary(summary.models(), summary.deadLettersWithoutModel(), rows, unmatched);
    }

    /** The feature an incident concerns, as alerts name it. */
    static String feature(Incident incident) {
        return incident.kind() == IncidentKind.SCORE_SHIFT ? "prediction" : incident.feature();
    }

    /** Which alert kinds can detect which incident kind. */
    private static Set<String> detectingKinds(IncidentKind kind) {
        return switch (kind) {
            case NUMERIC_SHIFT, NEW_CATEGORY, SCORE_SHIFT, STUCK_FEATURE -> Set.of("drift", "missing_rate", "out_of_range",
                    "check_missing", "check_out_of_range", "check_unseen", "stuck_feature", "score_mean", "label_share");
            case ERROR_SPIKE -> Set.of("error_rate");
            case LATENCY_REGRESSION -> Set.of("latency_p99");
            case TRAFFIC_DROP -> Set.of("traffic");
            case SILENCE -> Set.of("silence");
            case OVERRIDE_RISE -> Set.of("override_rate");
        };
    }

    private static boolean about(Incident incident, Alert a) {
        if (!a.model().equals(incident.model()) || !detectingKinds(incident.kind()).contains(a.kind())) return false;
        // An incident in one segment also moves every other segment its events fall in (country=DE
        // traffic is also channel=web traffic...), so any segment of the model counts.
        String feature = feature(incident);
        if (incident.kind() == IncidentKind.SCORE_SHIFT) {
            return a.feature().equals("prediction") || a.feature().equals("predicted_label") || a.kind().equals("label_share");
        }
        // A shifted input moves the model's output too: a prediction alert is part of the same incident.
        boolean output = a.feature().equals("prediction") || a.feature().equals("predicted_label");
        return feature == null || feature.isEmpty() || a.feature().isEmpty() || a.feature().equals(feature)
                || (output && incident.kind().needsFeature());
    }
}
