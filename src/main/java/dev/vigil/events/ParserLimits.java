package dev.vigil.events;

import java.io.Serializable;
import java.time.Duration;

/**
 * Bounds on what the parser accepts. Events outside the timestamp bounds are dead-lettered
 * rather than profiled: a producer with a broken clock would otherwise open windows years
 * away and drag the watermark with it.
 */
public record ParserLimits(int maxPayloadBytes, int deadLetterPayloadBytes, Duration maxEventAge, Duration maxClockSkew)
        implements Serializable {

    public static final ParserLimits DEFAULTS = new ParserLimits(64 * 1024, 4096, Duration.ofDays(7), Duration.ofMinutes(5));
}
