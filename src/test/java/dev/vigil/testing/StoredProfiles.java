package dev.vigil.testing;

import dev.vigil.testing.ExpectedProfiles.RowKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Reads the rows the job wrote, as column maps keyed by their natural key. */
public final class StoredProfiles {
    private StoredProfiles() {}

    public static Map<RowKey, Map<String, Object>> windowStats(DataSource db) throws SQLException {
        Map<RowKey, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : query(db, "SELECT * FROM window_stats")) {
            rows.put(key(row), row);
        }
        return rows;
    }

    /** Keyed by row key, then feature name. */
    public static Map<RowKey, Map<String, Map<String, Object>>> featureStats(DataSource db) throws SQLException {
        Map<RowKey, Map<String, Map<String, Object>>> rows = new HashMap<>();
        for (Map<String, Object> row : query(db, "SELECT * FROM feature_stats")) {
            rows.computeIfAbsent(key(row), k -> new HashMap<>()).put((String) row.get("feature"), row);
        }
        return rows;
    }

    public static List<Map<String, Object>> query(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.time.OffsetDateTime t) v = t.toInstant().toEpochMilli();
                    if (v instanceof java.sql.Timestamp t) v = t.getTime();
                    if (v != null && v.getClass().getName().equals("org.postgresql.util.PGobject")) v = v.toString();
                    row.put(md.getColumnName(i), v);
                }
                out.add(row);
            }
            return out;
        }
    }

    public static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static RowKey key(Map<String, Object> row) {
        return new RowKey((String) row.get("model"), (String) row.get("model_version"), (String) row.get("segment"),
                (Long) row.get("window_start"));
    }
}
