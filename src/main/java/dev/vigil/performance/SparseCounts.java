package dev.vigil.performance;

import java.io.IOException;
import java.util.Arrays;

/**
 * Counts per non-negative integer key (a score bin, a delay bucket), kept sorted and sparse: a
 * window with few labels costs a few bytes, and the size never exceeds one entry per key of the
 * bounded key range. Merging adds counts key by key, so it is exact and order-independent.
 */
final class SparseCounts {
    private int[] keys = new int[0];
    private long[] counts = new long[0];
    private int size;
    private long total;

    void add(int key, long count) {
        if (key < 0) throw new IllegalArgumentException("negative key " + key);
        int i = Arrays.binarySearch(keys, 0, size, key);
        if (i >= 0) {
            counts[i] += count;
        } else {
            i = -i - 1;
            if (size == keys.length) {
                int capacity = Math.max(8, size * 2);
                keys = Arrays.copyOf(keys, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
            System.arraycopy(keys, i, keys, i + 1, size - i);
            System.arraycopy(counts, i, counts, i + 1, size - i);
            keys[i] = key;
            counts[i] = count;
            size++;
        }
        total += count;
    }

    void merge(SparseCounts other) {
        if (other.size == 0) return;
        int[] mergedKeys = new int[size + other.size];
        long[] mergedCounts = new long[size + other.size];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < size || j < other.size) {
            if (j == other.size || (i < size && keys[i] < other.keys[j])) {
                mergedKeys[n] = keys[i];
                mergedCounts[n++] = counts[i++];
            } else if (i == size || other.keys[j] < keys[i]) {
                mergedKeys[n] = other.keys[j];
                mergedCounts[n++] = other.counts[j++];
            } else {
                mergedKeys[n] = keys[i];
                mergedCounts[n++] = counts[i++] + other.counts[j++];
            }
        }
        keys = mergedKeys;
        counts = mergedCounts;
        size = n;
        total += other.total;
    }

    int size() {
        return size;
    }

    int key(int index) {
        return keys[index];
    }

    long count(int index) {
        return counts[index];
    }

    long total() {
        return total;
    }

    /** Count, then each key as the gap from the previous key and its count, all variable-length. */
    void write(CompactEncoding.Writer out) {
        out.writeVarLong(size);
        int previous = 0;
        for (int i = 0; i < size; i++) {
            out.writeVarLong(keys[i] - previous);
            out.writeVarLong(counts[i]);
            previous = keys[i];
        }
    }

    /** Reads what {@link #write} wrote, rejecting keys above {@code maxKey} or out of order. */
    static SparseCounts read(CompactEncoding.Reader in, int maxKey) throws IOException {
        SparseCounts result = new SparseCounts();
        int n = in.readVarInt(maxKey + 1);
        result.keys = new int[n];
        result.counts = new long[n];
        long key = 0;
        for (int i = 0; i < n; i++) {
            long gap = in.readVarLong();
            if (i > 0 && gap == 0) throw new IOException("keys out of order");
            key += gap;
            if (key > maxKey) throw new IOException("key " + key + " exceeds " + maxKey);
            long count = in.readVarLong();
            if (count == 0) throw new IOException("empty entry");
            result.keys[i] = (int) key;
            result.counts[i] = count;
            result.total += count;
        }
        result.size = n;
        return result;
    }
}
