package dev.vigil.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small helpers for binding nullable values and event times in the sinks' statements. */
final class SqlParams {
    private SqlParams() {}

    static void setDouble(PreparedStatement ps, int i, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, value);
        }
    }

    static void setTime(PreparedStatement ps, int i, long epochMillis) throws SQLException {
        ps.setObject(i, OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    /** {@code INSERT ... ON CONFLICT (keys) DO UPDATE} over all columns, with {@code ?::jsonb} for JSON columns. */
    static String upsert(String table, String[] columns, String[] keys, java.util.Set<String> jsonColumns) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(String.join(", ", columns)).append(") VALUES (");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) sql.append(", ");
            sql.append(jsonColumns.contains(columns[i]) ? "CAST(? AS jsonb)" : "?");
        }
        sql.append(") ON CONFLICT (").append(String.join(", ", keys)).append(") DO UPDATE SET ");
        java.util.Set<String> keySet = java.util.Set.of(keys);
        boolean first = true;
        for (String c : columns) {
            if (keySet.contains(c)) continue;
            if (!first) sql.append(", ");
            sql.append(c).append(" = EXCLUDED.").append(c);
            first = false;
        }
        return sql.append(", updated_at = now()").toString();
    }
}
