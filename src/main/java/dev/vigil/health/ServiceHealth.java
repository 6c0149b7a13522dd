package dev.vigil.health;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.DriftSpec;
import dev.vigil.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's service-level objectives on one window and segment: error rate, p99 latency and
 * fallback rate against the spec's {@code service:} limits. Clean results are emitted too, so
 * open alerts resolve. Formulas: docs/checks.md.
 */
final class ServiceHealth {
    static final String ERROR_RATE = "error_rate";
    static final String LATENCY_P99 = "latency_p99";
    static final String FALLBACK_RATE = "fallback_rate";

    private ServiceHealth() {}

    /** The evaluations of one window; none when it has fewer than {@code min-events} events. */
    static List<Evaluation> evaluate(CheckedWindow w, ServiceSpec slo, SegmentProfile p) {
        List<Evaluation> out = new ArrayList<>(3);
        if (p.events() < slo.minEvents()) return out;
        if (slo.errorRate() != null) {
            out.add(share(w, slo, ERROR_RATE, "error rate", "failed", p.errors(), p.events(), slo.errorRate()));
        }
        if (slo.latencyP99Ms() != null && p.latency().count() >= slo.minEvents()) {
            double p99 = p.latency().quantile(0.99);
            DriftSpec.Threshold t = slo.latencyP99Ms();
            String severity = above(p99, t);
            String text = "p99 latency " + CheckedWindow.number(p99) + " ms over " + p.latency().count() + " requests "
                    + w.where() + " "
                    + (severity == null
                            ? "is within the SLO (warning above " + CheckedWindow.number(t.warning()) + " ms)"
                            : "breaches the SLO of " + CheckedWindow.number(level(severity, t)) + " ms (" + severity + ")");
            out.add(w.evaluation("", LATENCY_P99, slo.fireAfter(), slo.resolveAfter())
                    .result(severity, p99, level(severity, t), text));
        }
        if (slo.fallbackRate() != null) {
            out.add(share(w, slo, FALLBACK_RATE, "fallback rate", "answered by a fallback instead of the model",
                    p.fallbacks(), p.events(), slo.fallbackRate()));
        }
        return out;
    }

    private static Evaluation share(CheckedWindow w, ServiceSpec slo, String kind, String label, String what,
                                    long part, long whole, DriftSpec.Threshold t) {
        double rate = (double) part / whole;
        String severity = above(rate, t);
        String text = label + " " + CheckedWindow.percent(rate) + " (" + part + " of " + whole + " requests " + what + ") "
                + w.where() + " "
                + (severity == null
                        ? "is within the SLO (warning above " + CheckedWindow.percent(t.warning()) + ")"
                        : "breaches the SLO of " + CheckedWindow.percent(level(severity, t)) + " (" + severity + ")");
        return w.evaluation("", kind, slo.fireAfter(), slo.resolveAfter()).result(severity, rate, level(severity, t), text);
    }

    /** The severity of a value against upper limits: a breach is strictly above the level. */
    static String above(double value, DriftSpec.Threshold t) {
        return value > t.critical() ? Severity.CRITICAL : value > t.warning() ? Severity.WARNING : null;
    }

    /** The level a severity crossed; the warning level for a clean result. */
    static double level(String severity, DriftSpec.Threshold t) {
        return Severity.CRITICAL.equals(severity) ? t.critical() : t.warning();
    }
}
