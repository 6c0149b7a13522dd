package dev.vigil.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * What the demo shows at the end, read back from PostgreSQL: per model the events profiled,
 * error rate, p99 latency over the whole run (the stored per-window sketches merged, not an
 * average of percentiles) and dead letters; the incidents with their detection and the alerts
 * that matched none; and the feedback events sent per model and type (actions and ground truth,
 * as the generator counted them). Also written as JSON for scripts.
 */
public record DemoSummary(List<ModelSummary> models, long deadLettersWithoutModel, List<Map<String, Object>> incidents,
                          List<Map<String, Object>> unmatchedAlerts, Map<String, Map<String, Long>> feedback) {

    /** One model's line of the summary. */
    public record ModelSummary(String model, long events, double errorRate, Double latencyP99Ms, long deadLetters) {}

    public static DemoSummary read(String jdbcUrl, String user, String password) throws SQLException {
        List<ModelSummary> models = new ArrayList<>();
        long orphanDeadLetters;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            Map<String, long[]> counts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT model, sum(events), sum(errors) FROM window_stats WHERE segment = 'all' GROUP BY model ORDER BY model");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
            Map<String, Long> deadLetters = new LinkedHashMap<>();
            long orphans = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT model, count(*) FROM dead_letters GROUP BY model");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) == null) orphans += rs.getLong(2); else deadLetters.put(rs.getString(1), rs.getLong(2));
                }
            }
            for (Map.Entry<String, long[]> m : counts.entrySet()) {
                long events = m.getValue()[0];
                models.add(new ModelSummary(m.getKey(), events, events == 0 ? 0 : (double) m.getValue()[1] / events,
                        latencyP99(c, m.getKey()), deadLetters.getOrDefault(m.getKey(), 0L)));
            }
            // Dead letters naming a model that is not monitored (unknown_model) count as without a model.
            for (Map.Entry<String, Long> d : deadLetters.entrySet()) {
                if (!counts.containsKey(d.getKey())) orphans += d.getValue();
            }
            orphanDeadLetters = orphans;
        }
        return new DemoSummary(models, orphanDeadLetters, List.of(), List.of(), Map.of());
    }

    /** The same summary with the feedback counts per model and type (see {@code GenerationStats#feedbackByModel}). */
    public DemoSummary withFeedback(Map<String, Map<String, Long>> feedbackByModel) {
        return new DemoSummary(models, deadLettersWithoutModel, incidents, unmatchedAlerts, feedbackByModel);
    }

    private static Double latencyP99(Connection c, String model) throws SQLException {
        KllDoublesSketch all = KllDoublesSketch.newHeapInstance();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT latency_sketch FROM window_stats WHERE model = ? AND segment = 'all' AND latency_sketch IS NOT NULL")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) all.merge(KllDoublesSketch.heapify(Memory.wrap(rs.getBytes(1))));
            }
        }
        return all.isEmpty() ? null : all.getQuantile(0.99, QuantileSearchCriteria.INCLUSIVE);
    }

    public long events() {
        return models.stream().mapToLong(ModelSummary::events).sum();
    }

    /** The summary as a table for a terminal. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-20s %12s %11s %16s %13s%n", "model", "events", "error rate", "latency p99 ms", "dead letters"));
        for (ModelSummary m : models) {
            b.append(String.format("%-20s %,12d %10.2f%% %16s %,13d%n", m.model(), m.events(), 100 * m.errorRate(),
                    m.latencyP99Ms() == null ? "-" : String.format("%.1f", m.latencyP99Ms()), m.deadLetters()));
        }
        if (deadLettersWithoutModel > 0) {
            b.append(String.format("%-20s %12s %11s %16s %,13d%n", "(no monitored model)", "", "", "", deadLettersWithoutModel));
        }
        return b.toString();
    }

    /** The feedback sent, per model: actions by kind and ground-truth labels. */
    public String feedbackTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-20s %12s %10s %10s %10s %10s %12s%n", "feedback", "actions", "accepted", "overridden",
                "ignored", "escalated", "labels"));
        for (Map.Entry<String, Map<String, Long>> e : feedback.entrySet()) {
            Map<String, Long> f = e.getValue();
            long actions = f.entrySet().stream().filter(x -> !x.getKey().equals("label")).mapToLong(Map.Entry::getValue).sum();
            b.append(String.format("%-20s %,12d %,10d %,10d %,10d %,10d %,12d%n", e.getKey(), actions,
                    f.getOrDefault("accepted", 0L), f.getOrDefault("overridden", 0L), f.getOrDefault("ignored", 0L),
                    f.getOrDefault("escalated", 0L), f.getOrDefault("label", 0L)));
        }
        return b.toString();
    }

    /** Writes {"models": [...], "incidents": [...], "unmatched_alerts": [...], "feedback": {model: {type: count}}}. */
    public void writeJson(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelSummary m : models) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m.model());
            row.put("events", m.events());
            row.put("error_rate", m.errorRate());
            row.put("latency_p99_ms", m.latencyP99Ms());
            row.put("dead_letters", m.deadLetters());
            rows.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("models", rows);
        json.put("dead_letters_without_model", deadLettersWithoutModel);
        json.put("incidents", incidents);
        json.put("unmatched_alerts", unmatchedAlerts);
        json.put("feedback", feedback);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
