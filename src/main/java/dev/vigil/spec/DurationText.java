package dev.vigil.spec;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations used in specs and flags: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
public final class DurationText {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /** @throws IllegalArgumentException naming the expected format */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; use a number and a unit: ms, s, m, h or d (e.g. 5m)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            d.toMillis(); // durations are used in milliseconds; reject what does not fit
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: the number is too large");
        }
    }

    /** The shortest text that {@link #parse} reads back as the same duration. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}
