package dev.vigil.feedback;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.SegmentDimension;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments an outcome counts in: {@code all} plus {@code <dimension>=<value>} per segment
 * dimension of the model, named as in the profile tables. A dimension with a fixed value list
 * folds other values into {@code other}; a top-N dimension keeps the raw value (the aggregators
 * see only feedback-sampled traffic, so they do not re-rank values per window).
 */
public final class OutcomeSegments {
    public static final String ALL = "all";

    private OutcomeSegments() {}

    public static List<String> of(ModelSpec model, Outcome outcome) {
        List<SegmentDimension> dims = model.segments();
        List<String> out = new ArrayList<>(dims.size() + 1);
        out.add(ALL);
        for (int i = 0; i < dims.size(); i++) {
            SegmentDimension d = dims.get(i);
            String v = outcome.segmentValues != null && i < outcome.segmentValues.length && outcome.segmentValues[i] != null
                    ? outcome.segmentValues[i] : SegmentDimension.UNKNOWN;
            if (d.hasFixedValues() && !d.values().contains(v) && !SegmentDimension.UNKNOWN.equals(v)) {
                v = SegmentDimension.OTHER;
            }
            out.add(d.name() + '=' + v);
        }
        return out;
    }
}
