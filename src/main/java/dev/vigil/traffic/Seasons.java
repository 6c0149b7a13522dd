package dev.vigil.traffic;

/**
 * Which past buckets a bucket is compared with: the same time of the week once enough weeks of
 * history exist (weekday and weekend traffic differ), else the same time of day on past days.
 *
 * @param kind {@value #WEEK} or {@value #DAY}
 * @param slots start times of the past buckets, most recent first
 */
public record Seasons(String kind, long[] slots) {
    public static final String DAY = "day";
    public static final String WEEK = "week";
    static final long DAY_MS = 86_400_000L;
    static final long WEEK_MS = 7 * DAY_MS;
    /** Weeks of history needed before the weekly season is used: with three, one odd week cannot move the median. */
    static final int MIN_WEEKS = 3;

    /**
     * @param bucketStart the bucket being evaluated
     * @param since the first complete bucket of history
     * @param history at most this many past seasons
     */
    public static Seasons of(long bucketStart, long since, int history) {
        int weeks = available(bucketStart, since, history, WEEK_MS);
        if (weeks >= Math.min(MIN_WEEKS, history)) return new Seasons(WEEK, slots(bucketStart, weeks, WEEK_MS));
        return new Seasons(DAY, slots(bucketStart, available(bucketStart, since, history, DAY_MS), DAY_MS));
    }

    private static int available(long bucketStart, long since, int history, long season) {
        int n = 0;
        while (n < history && bucketStart - (n + 1) * season >= since) n++;
        return n;
    }

    private static long[] slots(long bucketStart, int n, long season) {
        long[] out = new long[n];
        for (int k = 1; k <= n; k++) out[k - 1] = bucketStart - k * season;
        return out;
    }

    /** E.g. "the same 10m slot on the past 4 days". */
    public String describe(String bucket) {
        int n = slots.length;
        return "the same " + bucket + " slot " + (kind.equals(WEEK) ? "of the week in the past " : "of the day on the past ")
                + n + " " + kind + (n == 1 ? "" : "s");
    }
}
