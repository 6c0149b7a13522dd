package dev.vigil.bench;

/**
 * How the bench writes the {@code timestamp} field. Both forms are in the event contract
 * (docs/inference-event.md); each has a fixed width, so a pooled payload's timestamp can be
 * overwritten in place with the time the replay gives it.
 */
public enum TimestampFormat {
    /** {@code "2026-11-27T08:00:00.125Z"}: the contract's example form, parsed with {@code OffsetDateTime.parse}. */
    ISO("iso", 24, true),
    /** {@code 1795939200125}: epoch milliseconds, read as a JSON integer. */
    EPOCH_MILLIS("epoch-millis", 13, false);

    private final String cliName;
    private final int width;
    private final boolean quoted;

    TimestampFormat(String cliName, int width, boolean quoted) {
        this.cliName = cliName;
        this.width = width;
        this.quoted = quoted;
    }

    /** Characters the value takes, without quotes. */
    int width() {
        return width;
    }

    boolean quoted() {
        return quoted;
    }

    public String cliName() {
        return cliName;
    }

    public static TimestampFormat fromCli(String text) {
        for (TimestampFormat f : values()) {
            if (f.cliName.equals(text)) return f;
        }
        throw new IllegalArgumentException("'" + text + "' is not a timestamp format; use iso or epoch-millis");
    }

    public TimestampFormat other() {
        return this == ISO ? EPOCH_MILLIS : ISO;
    }
}
