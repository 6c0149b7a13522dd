package dev.vigil.store;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where results are written and how the sinks batch. The password comes from the environment
 * ({@code VIGIL_DB_PASSWORD}), never from flags or files.
 */
public record JdbcSettings(String url, String user, String password, int batchSize, Duration flushInterval, int maxRetries)
        implements Serializable {

    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_RETRIES = 5;

    public static JdbcSettings of(String url, String user, String password) {
        return new JdbcSettings(url, user, password, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_RETRIES);
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", batchSize=" + batchSize + ", flushInterval=" + flushInterval + ", maxRetries=" + maxRetries + "]";
    }
}
