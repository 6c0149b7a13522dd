package dev.vigil.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alert events on Kafka: one JSON object per event, keyed by the alert id (so the events of one
 * alert stay in order on one partition), with the {@code alerts} table's column names plus
 * {@code change}. Times are ISO-8601 instants in UTC; non-finite scores are null.
 */
final class AlertEventSerializer implements KafkaRecordSerializationSchema<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    AlertEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AlertEvent a, KafkaSinkContext context, Long timestamp) {
        try {
            return new ProducerRecord<>(topic, a.alertId.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(fields(a)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert " + a.alertId + " as JSON", e);
        }
    }

    /** The message's fields, in the table's column order, then {@code change}. */
    static Map<String, Object> fields(AlertEvent a) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("alert_id", a.alertId);
        json.put("model", a.model);
        json.put("model_version", a.modelVersion);
        json.put("segment", a.segment);
        json.put("feature", a.feature);
        json.put("kind", a.kind);
        json.put("severity", a.severity);
        json.put("status", a.status);
        json.put("opened_at", Instant.ofEpochMilli(a.openedAt).toString());
        json.put("fired_at", Instant.ofEpochMilli(a.firedAt).toString());
        json.put("updated_at", Instant.ofEpochMilli(a.updatedAt).toString());
        json.put("resolved_at", a.resolvedAt == null ? null : Instant.ofEpochMilli(a.resolvedAt).toString());
        json.put("score", finite(a.score));
        json.put("threshold", finite(a.threshold));
        json.put("explanation", a.explanation);
        json.put("change", a.change);
        return json;
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }
}
