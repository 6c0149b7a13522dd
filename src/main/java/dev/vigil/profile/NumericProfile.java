package dev.vigil.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Profile of one numeric quantity in one window and segment (a feature, the latency or the
 * prediction score): exact counts and moments, and a KLL sketch for quantiles. Mergeable, so
 * partial profiles from many subtasks and windows combine without the raw values.
 */
public final class NumericProfile {
    /** KLL accuracy parameter: normalized rank error about 1.3% (see {@link #rankError()}). */
    public static final int KLL_K = 200;

    long count;
    long missing;
    long typeMismatch;
    long nanOrInfinite;
    long outOfRange;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    KllDoublesSketch sketch;

    /** Records a value; NaN and infinities are counted but kept out of the sketch and moments. */
    public void add(double value, boolean outsideRange) {
        if (!Double.isFinite(value)) {
            nanOrInfinite++;
            return;
        }
        count++;
        if (outsideRange) outOfRange++;
        if (value < min) min = value;
        if (value > max) max = value;
        sum += value;
        if (sketch == null) sketch = KllDoublesSketch.newHeapInstance(KLL_K);
        sketch.update(value);
    }

    public void addMissing() {
        missing++;
    }

    public void addTypeMismatch() {
        typeMismatch++;
    }

    public void merge(NumericProfile other) {
        count += other.count;
        missing += other.missing;
        typeMismatch += other.typeMismatch;
        nanOrInfinite += other.nanOrInfinite;
        outOfRange += other.outOfRange;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
        if (other.sketch != null) {
            if (sketch == null) sketch = KllDoublesSketch.newHeapInstance(KLL_K);
            sketch.merge(other.sketch);
        }
    }

    public long count() {
        return count;
    }

    public long missing() {
        return missing;
    }

    public long typeMismatch() {
        return typeMismatch;
    }

    public long nanOrInfinite() {
        return nanOrInfinite;
    }

    public long outOfRange() {
        return outOfRange;
    }

    /** Null when no finite value was seen. */
    public Double min() {
        return count == 0 ? null : min;
    }

    public Double max() {
        return count == 0 ? null : max;
    }

    public Double mean() {
        return count == 0 ? null : sum / count;
    }

    /** The value at normalized rank {@code rank} (inclusive search), or null without values. */
    public Double quantile(double rank) {
        return count == 0 ? null : sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** The sketch for merging across windows; null when no finite value was seen. */
    public KllDoublesSketch sketch() {
        return sketch;
    }

    /** The sketch's normalized rank error for single quantile queries (about 0.013 for k=200). */
    public static double rankError() {
        return KllDoublesSketch.newHeapInstance(KLL_K).getNormalizedRankError(false);
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeLong(missing);
        out.writeLong(typeMismatch);
        out.writeLong(nanOrInfinite);
        out.writeLong(outOfRange);
        out.writeDouble(min);
        out.writeDouble(max);
        out.writeDouble(sum);
        ProfileCodec.writeBytes(out, sketch == null ? null : sketch.toByteArray());
    }

    static NumericProfile read(DataInput in) throws IOException {
        NumericProfile p = new NumericProfile();
        p.count = in.readLong();
        p.missing = in.readLong();
        p.typeMismatch = in.readLong();
        p.nanOrInfinite = in.readLong();
        p.outOfRange = in.readLong();
        p.min = in.readDouble();
        p.max = in.readDouble();
        p.sum = in.readDouble();
        byte[] bytes = ProfileCodec.readBytes(in);
        p.sketch = bytes == null ? null : KllDoublesSketch.heapify(Memory.wrap(bytes));
        return p;
    }
}
