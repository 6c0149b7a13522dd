package dev.vigil.alerts;

/**
 * The severities an evaluation or an alert can have, as stored in {@code alerts.severity} and
 * {@code drift_scores.breached}: {@code null} (clean), {@value #WARNING} or {@value #CRITICAL}.
 */
public final class Severity {
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    private Severity() {}

    /** 0 for null (clean), 1 for warning, 2 for critical, -1 for anything else. */
    public static int rank(String severity) {
        if (severity == null) return 0;
        return switch (severity) {
            case WARNING -> 1;
            case CRITICAL -> 2;
            default -> -1;
        };
    }

    /** True for null (clean), {@value #WARNING} and {@value #CRITICAL}. */
    public static boolean isValid(String severity) {
        return rank(severity) >= 0;
    }

    /** The more severe of the two (null counts as clean). */
    public static String max(String a, String b) {
        return rank(b) > rank(a) ? b : a;
    }
}
