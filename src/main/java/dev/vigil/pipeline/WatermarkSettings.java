package dev.vigil.pipeline;

import dev.vigil.events.ParsedFeedback;
import dev.vigil.events.ParsedRecord;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * How event time advances: watermarks trail the highest timestamp seen by the bounded
 * out-of-orderness, per Kafka partition; a partition silent for the idle timeout stops holding
 * the watermark back. Dead letters carry no event time and never move it.
 */
public record WatermarkSettings(Duration maxOutOfOrderness, Duration idleTimeout) implements Serializable {

    public static final WatermarkSettings DEFAULTS = new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(30));

    public WatermarkStrategy<ParsedRecord> strategy() {
        return strategy((r, kafkaTimestamp) -> r.event != null ? r.event.timestamp : Long.MIN_VALUE);
    }

    /** The same watermarks for the feedback topic: event time is the feedback's timestamp. */
    public WatermarkStrategy<ParsedFeedback> feedbackStrategy() {
        return strategy((r, kafkaTimestamp) -> r.event != null ? r.event.timestamp : Long.MIN_VALUE);
    }

    private <T> WatermarkStrategy<T> strategy(SerializableTimestampAssigner<T> eventTime) {
        WatermarkStrategy<T> strategy = WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness).withTimestampAssigner(eventTime);
        return idleTimeout.isZero() ? strategy : strategy.withIdleness(idleTimeout);
    }
}
