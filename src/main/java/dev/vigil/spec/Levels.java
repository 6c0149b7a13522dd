package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the two shapes of levels the detector sections share: a {@code [warning, critical]} pair
 * of upper limits and a band {@code [low, high]} a value is expected to stay in.
 */
final class Levels {
    /** The value that turns a check with a default off. */
    static final String OFF = "off";

    private Levels() {}

    /** {@code off}, which YAML 1.1 (and so the loader) also reads as the boolean false. */
    static boolean isOff(JsonNode node) {
        return (node.isTextual() && node.asText().equals(OFF)) || (node.isBoolean() && !node.booleanValue());
    }

    /**
     * A {@code [warning, critical]} pair of upper limits with {@code min <= warning <= critical <= max};
     * null when the node is {@code off} (the check is turned off), or (with a problem recorded)
     * when it is neither.
     */
    static DriftSpec.Threshold upper(JsonNode node, String at, double min, double max, String unit, MonitorSpecLoader in) {
        if (isOff(node)) return null;
        if (!node.isArray() || node.size() != 2 || !node.get(0).isNumber() || !node.get(1).isNumber()) {
            in.problem(at, "must be [warning, critical], two numbers (" + unit + "), or off");
            return null;
        }
        double warning = node.get(0).doubleValue();
        double critical = node.get(1).doubleValue();
        if (warning < min || critical > max || warning > critical) {
            in.problem(at, "must be [warning, critical] with " + fmt(min) + " <= warning <= critical"
                    + (Double.isInfinite(max) ? "" : " <= " + fmt(max)) + " (" + unit + ")");
            return null;
        }
        return new DriftSpec.Threshold(warning, critical);
    }

    /**
     * A band: either {@code [low, high]} (outside is a warning) or {@code {warning: [low, high],
     * critical: [low, high]}} with the critical band around the warning band.
     */
    static ChecksSpec.Band band(JsonNode node, String at, double min, double max, MonitorSpecLoader in) {
        if (node.isObject()) {
            in.unknownFields(node, java.util.Set.of("warning", "critical"), at);
            double[] warning = pair(node.get("warning"), at + ".warning", min, max, in, true);
            double[] critical = pair(node.get("critical"), at + ".critical", min, max, in, false);
            if (warning == null) return null;
            if (critical != null && (critical[0] > warning[0] || critical[1] < warning[1])) {
                in.problem(at + ".critical", "must contain the warning band [" + fmt(warning[0]) + ", " + fmt(warning[1]) + "]");
                return null;
            }
            return critical == null ? new ChecksSpec.Band(warning[0], warning[1], null, null)
                    : new ChecksSpec.Band(warning[0], warning[1], critical[0], critical[1]);
        }
        double[] warning = pair(node, at, min, max, in, true);
        return warning == null ? null : new ChecksSpec.Band(warning[0], warning[1], null, null);
    }

    private static double[] pair(JsonNode node, String at, double min, double max, MonitorSpecLoader in, boolean required) {
        if (node == null) {
            if (required) in.problem(at, "is required: [low, high]");
            return null;
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isNumber() || !node.get(1).isNumber()
                || node.get(0).doubleValue() > node.get(1).doubleValue()
                || node.get(0).doubleValue() < min || node.get(1).doubleValue() > max) {
            in.problem(at, "must be [low, high] with low <= high"
                    + (Double.isInfinite(min) ? "" : ", both between " + fmt(min) + " and " + fmt(max)));
            return null;
        }
        return new double[] {node.get(0).doubleValue(), node.get(1).doubleValue()};
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
