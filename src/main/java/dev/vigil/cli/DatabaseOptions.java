package dev.vigil.cli;

import dev.vigil.store.JdbcSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the metrics store is. The password is read from VIGIL_DB_PASSWORD only, so it never shows in a process list. */
public final class DatabaseOptions {
    @Option(names = "--jdbc-url", defaultValue = "${env:VIGIL_JDBC_URL}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/vigil (env VIGIL_JDBC_URL).")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:VIGIL_DB_USER:-vigil}",
            description = "Database user (env VIGIL_DB_USER, default vigil). The password comes from VIGIL_DB_PASSWORD.")
    String user;

    @Option(names = "--sink-batch-size", defaultValue = "" + JdbcSettings.DEFAULT_BATCH_SIZE,
            description = "Rows per JDBC batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--sink-flush-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Longest a row waits in a sink batch (default ${DEFAULT-VALUE}).")
    Duration flushInterval;

    @Option(names = "--sink-max-retries", defaultValue = "" + JdbcSettings.DEFAULT_MAX_RETRIES,
            description = "Retries of a failed batch before the job restarts from its last checkpoint (default ${DEFAULT-VALUE}).")
    int maxRetries;

    JdbcSettings settings() {
        return new JdbcSettings(jdbcUrl, user, System.getenv("VIGIL_DB_PASSWORD"), batchSize, flushInterval, maxRetries);
    }
}
