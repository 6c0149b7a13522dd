package dev.vigil.events;

import java.util.Locale;

/** Why a record could not be profiled. Documented in docs/inference-event.md. */
public enum DeadLetterReason {
    OVERSIZE,
    MALFORMED_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    IMPLAUSIBLE_TIMESTAMP,
    UNKNOWN_MODEL;

    /** The name stored in the table and on the topic, e.g. {@code malformed_json}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
