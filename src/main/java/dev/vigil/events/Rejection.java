package dev.vigil.events;

/** Thrown inside a parser to leave with a dead letter; never escapes the parser's {@code parse}. */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    final DeadLetterReason reason;

    Rejection(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}
