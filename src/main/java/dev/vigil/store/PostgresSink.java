package dev.vigil.store;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The one way Vigil writes to PostgreSQL: an at-least-once JDBC sink whose statement is an
 * idempotent upsert, so replays after a failure rewrite rows instead of adding them (STACK.md:
 * XA is unreliable with bounded sources). Batches flush at the batch size, the flush interval and
 * every checkpoint; a batch that keeps failing fails the job, which restarts from its last
 * checkpoint, so an outage delays results and loses none.
 */
public final class PostgresSink {
    private PostgresSink() {}

    public static <T> JdbcSink<T> upserting(String sql, JdbcStatementBuilder<T> binder, JdbcSettings db) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(db.batchSize())
                        .withBatchIntervalMs(db.flushInterval().toMillis())
                        .withMaxRetries(db.maxRetries())
                        .build())
                .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(db.url())
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(db.user())
                        .withPassword(db.password())
                        .build());
    }
}
