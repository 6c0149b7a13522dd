package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Set;

/**
 * Service-level objectives of a model, checked on every window and segment: the share of
 * requests that failed, the p99 latency, and the share answered by a fallback instead of the
 * model. Each is a pair of upper limits {@code [warning, critical]}; a limit that is null is not
 * checked. Windows with fewer than {@code minEvents} events are not evaluated: a p99 or a share
 * of a handful of requests says little. Formulas: docs/checks.md.
 */
public record ServiceSpec(
        DriftSpec.Threshold errorRate,
        DriftSpec.Threshold latencyP99Ms,
        DriftSpec.Threshold fallbackRate,
        long minEvents,
        int fireAfter,
        int resolveAfter)
        implements Serializable {

    /** Warn above 2% failed requests, critical above 5%, when the spec names no error-rate. */
    public static final DriftSpec.Threshold DEFAULT_ERROR_RATE = new DriftSpec.Threshold(0.02, 0.05);
    /** Warn above 5% fallback answers, critical above 10%, when the spec names no fallback-rate. */
    public static final DriftSpec.Threshold DEFAULT_FALLBACK_RATE = new DriftSpec.Threshold(0.05, 0.10);
    public static final long DEFAULT_MIN_EVENTS = 100;
    public static final int DEFAULT_FIRE_AFTER = 3;
    public static final int DEFAULT_RESOLVE_AFTER = 3;

    private static final Set<String> FIELDS =
            Set.of("error-rate", "latency-p99-ms", "fallback-rate", "min-events", "fire-after", "resolve-after");

    static ServiceSpec read(JsonNode node, String at, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (node.isNull()) node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (!node.isObject()) {
            in.problem(at, "must be a mapping (e.g. {error-rate: [0.02, 0.05], latency-p99-ms: [300, 800]})");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        DriftSpec.Threshold errorRate = node.has("error-rate")
                ? Levels.upper(node.get("error-rate"), at + ".error-rate", 0, 1, "shares of requests, e.g. 0.02", in)
                : DEFAULT_ERROR_RATE;
        DriftSpec.Threshold latency = node.has("latency-p99-ms")
                ? Levels.upper(node.get("latency-p99-ms"), at + ".latency-p99-ms", 0, Double.POSITIVE_INFINITY, "milliseconds", in)
                : null;
        DriftSpec.Threshold fallbackRate = node.has("fallback-rate")
                ? Levels.upper(node.get("fallback-rate"), at + ".fallback-rate", 0, 1, "shares of requests, e.g. 0.05", in)
                : DEFAULT_FALLBACK_RATE;
        long minEvents = in.positiveInt(node, "min-events", at, DEFAULT_MIN_EVENTS);
        int fireAfter = (int) in.positiveInt(node, "fire-after", at, DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) in.positiveInt(node, "resolve-after", at, DEFAULT_RESOLVE_AFTER);
        return new ServiceSpec(errorRate, latency, fallbackRate, minEvents, fireAfter, resolveAfter);
    }
}
