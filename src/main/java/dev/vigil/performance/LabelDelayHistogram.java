package dev.vigil.performance;

import java.io.IOException;

/**
 * Label delays (feedback time minus prediction time, ms) in logarithmic buckets, so that any
 * quantile is reported within {@link #RELATIVE_ERROR} of a true delay of the right rank, from
 * milliseconds to years, in a few hundred buckets at most.
 *
 * <p>Bucket i ≥ 0 holds the delays d with γ^(i−1) &lt; d ≤ γ^i, γ = (1 + α) / (1 − α), and
 * reports 2γ^i / (γ + 1), which is within α of every delay in the bucket. A delay of 0 has a
 * bucket of its own and is reported exactly. Merging adds bucket counts: it is exact and
 * deterministic (unlike a randomized quantile sketch), so merged windows report the same
 * quantiles as if every label had been added to one accumulator. The idea is that of DDSketch
 * (Masson, Rim, Lee, VLDB 2019).
 */
final class LabelDelayHistogram {
    /** α: every reported quantile is within 1% of a true delay of that rank. */
    static final double RELATIVE_ERROR = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** The bucket of Long.MAX_VALUE ms. */
    static final int MAX_BUCKET = bucket(Long.MAX_VALUE);

    private long zeros;
    private SparseCounts buckets = new SparseCounts();

    private static int bucket(long delayMs) {
        return (int) Math.ceil(Math.log(delayMs) / LOG_GAMMA);
    }

    private static double representative(int bucket) {
        return 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }

    /** Adds one delay; negative delays are the caller's to clamp. */
    void add(long delayMs) {
        if (delayMs < 0) throw new IllegalArgumentException("negative delay " + delayMs);
        if (delayMs == 0) {
            zeros++;
        } else {
            buckets.add(bucket(delayMs), 1);
        }
    }

    void merge(LabelDelayHistogram other) {
        zeros += other.zeros;
        buckets.merge(other.buckets);
    }

    long count() {
        return zeros + buckets.total();
    }

    /**
     * The nearest-rank quantile: the delay of rank ⌈q·n⌉ (1-based) among the n delays in
     * ascending order, within {@link #RELATIVE_ERROR}; NaN when there are no delays.
     */
    double quantile(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile rank must be in [0, 1]: " + q);
        long n = count();
        if (n == 0) return Double.NaN;
        long rank = Math.max(1, (long) Math.ceil(q * n));
        if (rank <= zeros) return 0;
        long seen = zeros;
        for (int i = 0; i < buckets.size(); i++) {
            seen += buckets.count(i);
            if (seen >= rank) return representative(buckets.key(i));
        }
        return representative(buckets.key(buckets.size() - 1));
    }

    /** The number of non-empty buckets: the histogram's size. */
    int bucketCount() {
        return buckets.size() + (zeros > 0 ? 1 : 0);
    }

    void write(CompactEncoding.Writer out) {
        out.writeVarLong(zeros);
        buckets.write(out);
    }

    static LabelDelayHistogram read(CompactEncoding.Reader in) throws IOException {
        LabelDelayHistogram h = new LabelDelayHistogram();
        h.zeros = in.readVarLong();
        h.buckets = SparseCounts.read(in, MAX_BUCKET);
        return h;
    }
}
