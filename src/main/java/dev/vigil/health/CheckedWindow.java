package dev.vigil.health;

import dev.vigil.alerts.Evaluation;
import dev.vigil.spec.DurationText;
import dev.vigil.spec.ModelSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The window and segment a check looks at, and how its evaluations and explanations name them.
 * Every evaluation of a window is {@code evaluatedAt} its end, so a re-emitted window (late
 * events) replaces the earlier evaluation in the alert lifecycle.
 */
record CheckedWindow(ModelSpec model, String version, String segment, long windowStart, long windowEnd) {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    Evaluation evaluation(String feature, String kind, int fireAfter, int resolveAfter) {
        return new Evaluation(model.name(), version, segment, feature, kind, windowEnd).policy(fireAfter, resolveAfter);
    }

    /** E.g. {@code in the 1m window to 07:31 UTC in segment region=south}. */
    String where() {
        Instant end = Instant.ofEpochMilli(windowEnd);
        String time = (windowEnd % 60_000 == 0 ? MINUTES : SECONDS).format(end);
        return "in the " + DurationText.format(Duration.ofMillis(windowEnd - windowStart)) + " window to " + time
                + " UTC in segment " + segment;
    }

    static String percent(double share) {
        double p = share * 100;
        return String.format(Locale.ROOT, p != 0 && Math.abs(p) < 0.1 ? "%.3f%%" : "%.1f%%", p);
    }

    /** Three significant digits, without exponent for everyday magnitudes. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 100 && a < 1e9) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 0.001 && a < 1e9) return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
