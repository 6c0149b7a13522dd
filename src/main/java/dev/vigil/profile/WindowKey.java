package dev.vigil.profile;

import java.util.Objects;

/**
 * Identifies the partial profiles that merge into one set of rows: a model version, one
 * segment dimension ("all" or e.g. "country") and one window. All values of a dimension share a
 * key, so the merger can apply the dimension's cardinality cap over the whole window.
 */
public class WindowKey {
    /** The pseudo-dimension whose single segment covers all traffic of the model version. */
    public static final String ALL = "all";

    public String model;
    public String modelVersion;
    public String dimension;
    /** Inclusive, UTC epoch ms. */
    public long windowStart;
    /** Exclusive, UTC epoch ms. */
    public long windowEnd;

    public WindowKey() {}

    public WindowKey(String model, String modelVersion, String dimension, long windowStart, long windowEnd) {
        this.model = model;
        this.modelVersion = modelVersion;
        this.dimension = dimension;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** The key the merger is partitioned by. */
    public String asKey() {
        return model + '\u0001' + modelVersion + '\u0001' + dimension + '\u0001' + windowStart;
    }

    /** The last timestamp inside the window; the window closes when the watermark reaches it. */
    public long maxTimestamp() {
        return windowEnd - 1;
    }

    /** The stored segment name of one value of this key's dimension, e.g. {@code country=DE}. */
    public String segmentName(String value) {
        return dimension.equals(ALL) ? ALL : dimension + "=" + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowKey k && windowStart == k.windowStart && windowEnd == k.windowEnd
                && Objects.equals(model, k.model) && Objects.equals(modelVersion, k.modelVersion)
                && Objects.equals(dimension, k.dimension);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, modelVersion, dimension, windowStart);
    }

    @Override
    public String toString() {
        return model + "/" + modelVersion + "/" + dimension + "@" + windowStart;
    }
}
