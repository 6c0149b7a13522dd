package dev.vigil.spec;

import java.io.Serializable;
import java.util.List;

/**
 * A segment attribute the job profiles separately (e.g. country). Either the spec lists the
 * values to keep, or the {@code maxValues} most frequent values of each window are kept. All
 * other values fold into {@link #OTHER}, so a high-cardinality attribute cannot blow up state
 * or the metrics tables.
 */
public record SegmentDimension(String name, int maxValues, List<String> values) implements Serializable {

    /** The bucket that values beyond the cardinality cap fold into. */
    public static final String OTHER = "other";

    /** The value recorded when an event does not carry this attribute. */
    public static final String UNKNOWN = "unknown";

    public SegmentDimension {
        values = values == null ? List.of() : List.copyOf(values);
    }

    public boolean hasFixedValues() {
        return !values.isEmpty();
    }
}
