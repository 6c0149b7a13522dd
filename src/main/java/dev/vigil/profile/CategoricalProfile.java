package dev.vigil.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * Profile of one categorical feature in one window and segment: exact counts, an HLL sketch for
 * the number of distinct values and a frequent-items sketch for the top values. Both sketches
 * merge, so the profile of an hour is the merge of its minutes.
 */
public final class CategoricalProfile {
    /** HLL size: relative standard error about 1.6%. */
    public static final int HLL_LG_K = 12;
    /** Frequent-items map size: counts are exact while fewer than 0.75 x 128 values are seen. */
    public static final int FREQUENT_ITEMS_MAP_SIZE = 128;

    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

    long count;
    long missing;
    long typeMismatch;
    long unexpected;
    HllSketch distinct;
    ItemsSketch<String> frequent;

    public void add(String value, Set<String> expected) {
        count++;
        if (!expected.isEmpty() && !expected.contains(value)) unexpected++;
        if (distinct == null) {
            distinct = new HllSketch(HLL_LG_K);
            frequent = new ItemsSketch<>(FREQUENT_ITEMS_MAP_SIZE);
        }
        distinct.update(value);
        frequent.update(value);
    }

    public void addMissing() {
        missing++;
    }

    public void addTypeMismatch() {
        typeMismatch++;
    }

    public void merge(CategoricalProfile other) {
        count += other.count;
        missing += other.missing;
        typeMismatch += other.typeMismatch;
        unexpected += other.unexpected;
        if (other.distinct == null) return;
        if (distinct == null) {
            distinct = new HllSketch(HLL_LG_K);
            frequent = new ItemsSketch<>(FREQUENT_ITEMS_MAP_SIZE);
        }
        Union union = new Union(HLL_LG_K);
        union.update(distinct);
        union.update(other.distinct);
        distinct = union.getResult();
        frequent.merge(other.frequent);
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

    public long unexpected() {
        return unexpected;
    }

    /** Share of present values outside the spec's categories; null without values. */
    public Double unexpectedShare() {
        return count == 0 ? null : (double) unexpected / count;
    }

    public double distinctEstimate() {
        return distinct == null ? 0 : distinct.getEstimate();
    }

    /**
     * The value every present value equals, or null when there were none or at least two distinct
     * ones. Exact, not an estimate: the frequent-items sketch's lower bound of a value's count is
     * a guaranteed lower bound, so a value whose lower bound equals the count of present values is
     * the only one; and a constant stream never fills the sketch, so its count stays exact.
     */
    public String constantValue() {
        if (frequent == null || frequent.getNumActiveItems() != 1) return null;
        ItemsSketch.Row<String>[] rows = frequent.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        return rows.length == 1 && rows[0].getLowerBound() == count ? rows[0].getItem() : null;
    }

    /** The most frequent values, highest first (ties by value), with their estimated counts. */
    public List<ValueCount> topValues(int limit) {
        if (frequent == null) return List.of();
        ItemsSketch.Row<String>[] rows = frequent.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        List<ValueCount> out = new ArrayList<>(Arrays.stream(rows)
                .map(r -> new ValueCount(r.getItem(), r.getEstimate()))
                .sorted(Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value))
                .toList());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** One value and how often it was seen. */
    public record ValueCount(String value, long count) {}

    void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeLong(missing);
        out.writeLong(typeMismatch);
        out.writeLong(unexpected);
        ProfileCodec.writeBytes(out, distinct == null ? null : distinct.toCompactByteArray());
        ProfileCodec.writeBytes(out, frequent == null ? null : frequent.toByteArray(SERDE));
    }

    static CategoricalProfile read(DataInput in) throws IOException {
        CategoricalProfile p = new CategoricalProfile();
        p.count = in.readLong();
        p.missing = in.readLong();
        p.typeMismatch = in.readLong();
        p.unexpected = in.readLong();
        byte[] hll = ProfileCodec.readBytes(in);
        byte[] items = ProfileCodec.readBytes(in);
        if (hll != null) {
            p.distinct = HllSketch.heapify(hll);
            p.frequent = ItemsSketch.getInstance(Memory.wrap(items), SERDE);
        }
        return p;
    }
}
