package dev.vigil.pipeline;

import dev.vigil.events.ParsedRecord;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * How event time advances: watermarks trail the highest timestamp seen by the bounded
 * out-of-orderness, per Kafka partition; a partition silent for the idle timeout stops holding
 * the watermark back. Dead letters carry no event time and never move it.
 */
public record WatermarkSettings(Duration maxOutOfOrderness, Duration idleTimeout) implements Serializable {

    public static final WatermarkSettings DEFAULTS = new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(30));

    public WatermarkStrategy<ParsedRecord> strategy() {
        WatermarkStrategy<ParsedRecord> strategy = WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((r, kafkaTimestamp) -> r.event != null ? r.event.timestamp : Long.MIN_VALUE);
        return idleTimeout.isZero() ? strategy : strategy.withIdleness(idleTimeout);
    }
}
