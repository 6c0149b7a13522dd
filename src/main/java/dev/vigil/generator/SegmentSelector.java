package dev.vigil.generator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which events of a model an incident applies to: {@code all}, or one or more
 * {@code dimension=value} conditions joined by commas (e.g. {@code country=DE} or
 * {@code country=DE,channel=web}), all of which must hold.
 */
public final class SegmentSelector {

    public static final SegmentSelector ALL = new SegmentSelector(Map.of());

    private final Map<String, String> conditions;

    private SegmentSelector(Map<String, String> conditions) {
        this.conditions = conditions;
    }

    /** A selector for events whose segment {@code dimension} equals {@code value}. */
    public static SegmentSelector of(String dimension, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(dimension, value);
        return new SegmentSelector(Collections.unmodifiableMap(m));
    }

    /**
     * Parses {@code all}, {@code dim=value} or {@code dim=value,dim2=value2}; null or blank means all.
     *
     * @throws IllegalArgumentException on syntax errors
     */
    public static SegmentSelector parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) {
            return ALL;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a segment (use all, dimension=value or dim=value,dim2=value2)");
            }
            String dim = p.substring(0, eq).trim();
            String val = p.substring(eq + 1).trim();
            if (m.put(dim, val) != null) {
                throw new IllegalArgumentException("segment dimension '" + dim + "' given twice in '" + text + "'");
            }
        }
        return new SegmentSelector(Collections.unmodifiableMap(m));
    }

    public boolean isAll() {
        return conditions.isEmpty();
    }

    /** dimension → required value, in the order given. */
    public Map<String, String> conditions() {
        return conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentSelector s && s.conditions.equals(conditions);
    }

    @Override
    public int hashCode() {
        return conditions.hashCode();
    }

    /** The selector in the syntax {@link #parse} accepts. */
    @Override
    public String toString() {
        return isAll() ? "all" : conditions.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
