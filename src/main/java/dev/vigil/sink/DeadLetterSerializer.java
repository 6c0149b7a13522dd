package dev.vigil.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters on Kafka: one JSON object per record, keyed by the source topic/partition/offset. */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reason", d.reason);
        json.put("detail", d.detail);
        json.put("model", d.model);
        json.put("topic", d.topic);
        json.put("partition", d.partition);
        json.put("offset", d.offset);
        json.put("received_at", java.time.Instant.ofEpochMilli(d.receivedAt).toString());
        json.put("payload_bytes", d.payloadBytes);
        json.put("payload_truncated", d.payloadTruncated);
        json.put("payload", d.payload);
        try {
            byte[] key = (d.topic + "/" + d.partition + "/" + d.offset).getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
