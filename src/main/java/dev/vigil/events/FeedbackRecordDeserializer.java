package dev.vigil.events;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses feedback records inside the Kafka source, like {@link InferenceRecordDeserializer}: event
 * time is known where watermarks are generated, bad records become dead letters at once. Counts
 * parsed feedback ({@code vigil.feedbackParsed}) and dead letters per reason.
 */
public final class FeedbackRecordDeserializer implements KafkaRecordDeserializationSchema<ParsedFeedback> {
    private static final long serialVersionUID = 1L;

    private final FeedbackEventParser parser;
    private transient DeadLetterCounters counters;

    public FeedbackRecordDeserializer(FeedbackEventParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        counters = new DeadLetterCounters(context.getMetricGroup(), "feedbackParsed");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedFeedback> out) {
        ParsedFeedback result = parser.parse(
                record.value(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis());
        if (counters != null) counters.count(result.deadLetter);
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedFeedback> getProducedType() {
        return Types.POJO(ParsedFeedback.class);
    }
}
