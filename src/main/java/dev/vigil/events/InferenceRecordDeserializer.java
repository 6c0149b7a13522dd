package dev.vigil.events;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses inference records inside the Kafka source, so event time is known where watermarks are
 * generated (per partition) and bad records are caught before they can reach any operator.
 * Counts parsed events and dead letters per reason as Flink metrics.
 */
public final class InferenceRecordDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final InferenceEventParser parser;
    private transient Counter parsed;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public InferenceRecordDeserializer(InferenceEventParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup group = context.getMetricGroup().addGroup("vigil");
        parsed = group.counter("eventsParsed");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, group.addGroup("deadLetters").counter(reason.code()));
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        ParsedRecord result = parser.parse(
                record.value(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis());
        if (parsed != null) {
            if (result.isEvent()) {
                parsed.inc();
            } else {
                deadLetters.get(DeadLetterReason.valueOf(result.deadLetter.reason.toUpperCase(java.util.Locale.ROOT))).inc();
            }
        }
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return Types.POJO(ParsedRecord.class);
    }
}
