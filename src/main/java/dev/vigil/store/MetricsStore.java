package dev.vigil.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The PostgreSQL schema of Vigil's results, kept in versioned Flyway migrations under
 * {@code db/migration}. Applied by {@code vigil init-db}, by the demo and by the tests.
 */
public final class MetricsStore {
    /** The role Grafana and analysts use; it can only read. */
    public static final String READER_ROLE = "vigil_reader";

    private MetricsStore() {}

    /** Applies pending migrations; returns how many ran. Safe to call on every start. */
    public static int migrate(JdbcSettings db) {
        MigrateResult result = Flyway.configure()
                .dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    /** Lets the read-only role log in with the given password. */
    public static void enableReaderLogin(JdbcSettings db, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement()) {
            // Role passwords cannot be bound as parameters; quote the literal instead.
            s.execute("ALTER ROLE " + READER_ROLE + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        }
    }
}
