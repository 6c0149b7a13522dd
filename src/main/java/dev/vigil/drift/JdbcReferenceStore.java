package dev.vigil.drift;

import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.store.JdbcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/** Reads baselines from the {@code reference_profiles} table written by {@code vigil baseline}. */
public final class JdbcReferenceStore implements ReferenceStore {
    private static final long serialVersionUID = 1L;

    private final JdbcSettings db;

    public JdbcReferenceStore(JdbcSettings db) {
        this.db = db;
    }

    @Override
    public Map<String, SegmentProfile> load(String baseline, String model) throws Exception {
        Map<String, SegmentProfile> profiles = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT segment, profile FROM reference_profiles WHERE name = ? AND model = ? ORDER BY created_at")) {
            ps.setString(1, baseline);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                // With several model versions under one name, the newest profile of a segment wins.
                while (rs.next()) profiles.put(rs.getString(1), ProfileCodec.decode(rs.getBytes(2)));
            }
        }
        return profiles;
    }
}
