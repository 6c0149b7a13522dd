package dev.vigil.events;

import java.util.Locale;

/** Why a record could not be processed. Documented in docs/inference-event.md and docs/feedback-event.md. */
public enum DeadLetterReason {
    OVERSIZE,
    MALFORMED_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    IMPLAUSIBLE_TIMESTAMP,
    UNKNOWN_MODEL,
    /** A feedback event with none of action, label and value: it says nothing about its prediction. */
    EMPTY_FEEDBACK;

    /** The name stored in the table and on the topic, e.g. {@code malformed_json}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
