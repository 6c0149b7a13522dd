package dev.vigil.events;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
    private transient DeadLetterCounters counters;

    public InferenceRecordDeserializer(InferenceEventParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        counters = new DeadLetterCounters(context.getMetricGroup(), "eventsParsed");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        ParsedRecord result = parser.parse(
                record.value(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis());
        if (counters != null) counters.count(result.deadLetter);
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return Types.POJO(ParsedRecord.class);
    }
}
