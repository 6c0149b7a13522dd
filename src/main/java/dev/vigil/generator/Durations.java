package dev.vigil.generator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the short durations used on the command line and in scenario files:
 * {@code 500ms}, {@code 90s}, {@code 45m}, {@code 6h}, {@code 1d}, combinations such as
 * {@code 1h30m}, a bare number of seconds, or an ISO-8601 duration such as {@code PT6H}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException if the text is not a duration
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no duration given");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration", e);
            }
        }
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        long millis = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a duration (use e.g. 500ms, 90s, 45m, 6h, 1d or 1h30m)");
            }
            double n = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            millis += Math.round(n * unit);
            pos = m.end();
        }
        return Duration.ofMillis(millis);
    }

    /** Prints a duration compactly, e.g. {@code 6h}, {@code 1h30m}, {@code 45s}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            long n = ms / units[i];
            if (n > 0) {
                sb.append(n).append(names[i]);
                ms -= n * units[i];
            }
        }
        return sb.toString();
    }
}
