package dev.vigil.generator;

import java.util.Locale;

/**
 * The kinds of bad record the generator emits; {@link #reason()} is the dead-letter reason the
 * job is expected to assign (see docs/inference-event.md).
 */
public enum BadRecordKind {
    /** Not one JSON object: truncated, a top-level array, an unquoted token, or plain text. */
    MALFORMED_JSON,
    /** A required field absent or null ({@code request_id}, {@code timestamp} or {@code model_version}). */
    MISSING_FIELD,
    /** {@code "latency_ms": "fast"}, {@code "timestamp": true} or {@code "status": "maybe"}. */
    WRONG_TYPE,
    /** A timestamp in 1999 or 30 to 60 days after the event time. */
    IMPLAUSIBLE_TIMESTAMP,
    /** A valid event padded past 64 KiB with a huge string feature. */
    OVERSIZE,
    /** A model that is not in the monitor spec. */
    UNKNOWN_MODEL;

    /** The dead-letter reason, e.g. {@code malformed_json}. */
    public String reason() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BadRecordKind fromReason(String reason) {
        return valueOf(reason.toUpperCase(Locale.ROOT));
    }
}
