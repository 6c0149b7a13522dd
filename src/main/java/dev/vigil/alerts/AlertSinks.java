package dev.vigil.alerts;

import dev.vigil.store.JdbcSettings;
import dev.vigil.store.PostgresSink;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes alert events to the {@code alerts} table and to a Kafka topic.
 *
 * <p>Both sinks are at-least-once. The stream is first partitioned by alert id, so all events of
 * one alert go through one sink subtask in the order the lifecycle emitted them (one writer per
 * row: no lock contention between subtasks; one producer per Kafka key: per-alert order on the
 * topic). The table upsert is idempotent and monotonic: a row is only overwritten by an event
 * with the same or a later {@code updated_at}, so a replayed older event never reopens a resolved
 * alert.
 */
public final class AlertSinks {
    public static final String TABLE_UID = "sink-alerts-table";
    public static final String TOPIC_UID = "sink-alerts-topic";

    static final String[] COLUMNS = {
        "alert_id", "model", "model_version", "segment", "feature", "kind", "severity", "status",
        "opened_at", "fired_at", "updated_at", "resolved_at", "score", "threshold", "explanation"
    };

    static final String UPSERT_SQL = "INSERT INTO alerts (" + String.join(", ", COLUMNS) + ") VALUES ("
            + String.join(", ", Collections.nCopies(COLUMNS.length, "?")) + ") ON CONFLICT (alert_id) DO UPDATE SET "
            + Arrays.stream(COLUMNS).skip(1).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
            + " WHERE alerts.updated_at <= EXCLUDED.updated_at";

    private AlertSinks() {}

    /** Upserts each event into {@code alerts} (by {@code alert_id}), batched and flushed as {@code db} says. */
    public static void toPostgres(DataStream<AlertEvent> events, JdbcSettings db) {
        events.keyBy(a -> a.alertId, org.apache.flink.api.common.typeinfo.Types.STRING)
                .sinkTo(PostgresSink.upserting(UPSERT_SQL, AlertSinks::bind, db))
                .name("alerts (PostgreSQL)")
                .uid(TABLE_UID);
    }

    /** Writes each event as one JSON message keyed by alert id (see {@link AlertEventSerializer#fields}). */
    public static void toKafka(DataStream<AlertEvent> events, String bootstrapServers, String topic) {
        events.keyBy(a -> a.alertId, org.apache.flink.api.common.typeinfo.Types.STRING)
                .sinkTo(KafkaSink.<AlertEvent>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setRecordSerializer(new AlertEventSerializer(topic))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .name("alerts (Kafka " + topic + ")")
                .uid(TOPIC_UID);
    }

    static void bind(PreparedStatement ps, AlertEvent a) throws SQLException {
        int i = 1;
        ps.setString(i++, a.alertId);
        ps.setString(i++, a.model);
        ps.setString(i++, a.modelVersion);
        ps.setString(i++, a.segment);
        ps.setString(i++, a.feature == null ? "" : a.feature);
        ps.setString(i++, a.kind);
        ps.setString(i++, a.severity);
        ps.setString(i++, a.status);
        setTime(ps, i++, a.openedAt);
        setTime(ps, i++, a.firedAt);
        setTime(ps, i++, a.updatedAt);
        if (a.resolvedAt == null) {
            ps.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            setTime(ps, i++, a.resolvedAt);
        }
        setDouble(ps, i++, a.score);
        setDouble(ps, i++, a.threshold);
        ps.setString(i, a.explanation);
    }

    private static void setTime(PreparedStatement ps, int i, long epochMillis) throws SQLException {
        ps.setObject(i, OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    private static void setDouble(PreparedStatement ps, int i, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, value);
        }
    }
}
