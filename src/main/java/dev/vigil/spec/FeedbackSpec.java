package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How feedback events (user actions, ground truth) are joined to this model's predictions.
 * Only models with this section are joined.
 *
 * @param ttl how long, in event time, a prediction waits for its feedback and feedback waits for
 *     its prediction; a feedback event joins its prediction when their event times are at most this far apart
 * @param sampleRate the share of predictions (0 < r <= 1) kept for the join, chosen by a stable hash of
 *     the request id so a prediction and its feedback are both kept or both skipped
 */
public record FeedbackSpec(Duration ttl, double sampleRate) implements Serializable {
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);
    public static final double DEFAULT_SAMPLE_RATE = 1.0;

    private static final Set<String> FIELDS = Set.of("ttl", "sample-rate");

    public long ttlMillis() {
        return ttl.toMillis();
    }

    static FeedbackSpec read(JsonNode node, String at, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (node.isNull()) return new FeedbackSpec(DEFAULT_TTL, DEFAULT_SAMPLE_RATE); // "feedback:" alone: all defaults
        if (!node.isObject()) {
            in.problem(at, "must be a mapping (ttl, sample-rate), or empty for the defaults");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Duration ttl = in.duration(node, "ttl", at + ".ttl", DEFAULT_TTL);
        if (ttl.isZero() || ttl.isNegative()) {
            in.problem(at + ".ttl", "must be positive");
            ttl = DEFAULT_TTL;
        }
        double sampleRate = DEFAULT_SAMPLE_RATE;
        JsonNode rate = node.get("sample-rate");
        if (rate != null) {
            if (!rate.isNumber() || !(rate.doubleValue() > 0) || rate.doubleValue() > 1) {
                in.problem(at + ".sample-rate", "must be a number in (0, 1], the share of predictions joined; got " + rate);
            } else {
                sampleRate = rate.doubleValue();
            }
        }
        return new FeedbackSpec(ttl, sampleRate);
    }
}
