package dev.vigil.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.events.InferenceEvent;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The expected level and spread of a bucket, checked against medians and MADs computed by hand and independently. */
class TrafficBaselineTest {
    private static final long DAY = 86_400_000L;
    private static final long WEEK = 7 * DAY;

    @Test
    void medianAndMadOfAnEvenNumberOfSeasons() {
        // sorted 80 100 120 400 -> median 110; |x - 110| = 30 10 10 290 -> sorted 10 10 30 290 -> MAD 20
        TrafficBaseline b = TrafficBaseline.of(new long[] {120, 80, 100, 400}, 0.1);
        assertThat(b.expected()).isEqualTo(110.0);
        assertThat(b.spread()).isEqualTo(1.4826 * 20);
        assertThat(b.seasons()).isEqualTo(4);
        assertThat(b.deviations(50)).isCloseTo((50 - 110) / 29.652, within(1e-12));
    }

    @Test
    void medianAndMadOfAnOddNumberOfSeasons() {
        // sorted 900 1000 1010 1020 5000 -> median 1010; deviations 110 10 0 10 3990 -> MAD 10 (an outlier week does not count)
        TrafficBaseline b = TrafficBaseline.of(new long[] {1000, 5000, 1020, 900, 1010}, 0.0);
        assertThat(b.expected()).isEqualTo(1010.0);
        // 1.4826 * 10 = 14.826 < sqrt(1010 * (1 + pi/10)) = 36.26...: the Poisson floor applies
        assertThat(b.spread()).isCloseTo(Math.sqrt(1010 * (1 + Math.PI / 10)), within(1e-12));
    }

    @Test
    void oneSeasonHasNoMadSoTheFloorsGiveTheSpread() {
        TrafficBaseline large = TrafficBaseline.of(new long[] {4000}, 0.15);
        assertThat(large.expected()).isEqualTo(4000.0);
        assertThat(large.spread()).isEqualTo(600.0); // 0.15 * 4000 > sqrt(4000 * (1 + pi/2)) = 101.4
        TrafficBaseline small = TrafficBaseline.of(new long[] {100}, 0.15);
        assertThat(small.spread()).isCloseTo(Math.sqrt(100 * (1 + Math.PI / 2)), within(1e-12)); // 16.03 > 15
        TrafficBaseline empty = TrafficBaseline.of(new long[] {0, 0, 0}, 0.1);
        assertThat(empty.expected()).isZero();
        assertThat(empty.spread()).isCloseTo(Math.sqrt(1 + Math.PI / 6), within(1e-12));
        assertThat(empty.deviations(10)).isPositive();
    }

    @Test
    void agreesWithAnIndependentSelectionOnRandomHistories() {
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 500; round++) {
            int n = 1 + r.nextInt(12);
            long[] past = new long[n];
            for (int i = 0; i < n; i++) past[i] = r.nextInt(2000);
            double median = selectMedian(past);
            long[] twiceAbsDev = new long[n]; // |2x - 2m| keeps half-integer medians exact
            for (int i = 0; i < n; i++) twiceAbsDev[i] = Math.abs(2 * past[i] - Math.round(2 * median));
            double mad = selectMedian(twiceAbsDev) / 2;
            TrafficBaseline b = TrafficBaseline.of(past, 0.05);
            assertThat(b.expected()).isEqualTo(median);
            double expectedSpread = Math.max(1.4826 * mad,
                    Math.max(Math.sqrt(Math.max(median, 1) * (1 + Math.PI / (2.0 * n))), 0.05 * median));
            assertThat(b.spread()).isEqualTo(expectedSpread);
        }
    }

    /** The median by popping the lower half off a heap: no sorting of the array. */
    private static double selectMedian(long[] values) {
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (long v : values) heap.add(v);
        int n = values.length;
        for (int i = 0; i < (n - 1) / 2; i++) heap.poll();
        long lower = heap.poll();
        return n % 2 == 1 ? lower : (lower + heap.poll()) / 2.0;
    }

    @Test
    void theSameHourOfDayUntilThreeWeeksOfHistoryThenTheSameHourOfWeek() {
        long bucket = 30 * DAY + 3 * 3_600_000L;
        Seasons oneDay = Seasons.of(bucket, bucket - DAY, 4);
        assertThat(oneDay.kind()).isEqualTo(Seasons.DAY);
        assertThat(oneDay.slots()).containsExactly(bucket - DAY);
        assertThat(oneDay.describe("10m")).isEqualTo("the same 10m slot of the day on the past 1 day");
        assertThat(Seasons.of(bucket, bucket - DAY + 1, 4).slots()).isEmpty();
        Seasons twoWeeks = Seasons.of(bucket, bucket - 2 * WEEK, 4);
        assertThat(twoWeeks.kind()).isEqualTo(Seasons.DAY);
        assertThat(twoWeeks.slots()).containsExactly(bucket - DAY, bucket - 2 * DAY, bucket - 3 * DAY, bucket - 4 * DAY);
        Seasons threeWeeks = Seasons.of(bucket, bucket - 3 * WEEK, 4);
        assertThat(threeWeeks.kind()).isEqualTo(Seasons.WEEK);
        assertThat(threeWeeks.slots()).containsExactly(bucket - WEEK, bucket - 2 * WEEK, bucket - 3 * WEEK);
        assertThat(Seasons.of(bucket, 0, 4).slots()).containsExactly(bucket - WEEK, bucket - 2 * WEEK, bucket - 3 * WEEK, bucket - 4 * WEEK);
        assertThat(Seasons.of(bucket, bucket - WEEK, 1).kind()).isEqualTo(Seasons.WEEK);
    }

    @Test
    void theEventCountIsReadFromTheProfileHeader() {
        var spec = MonitorSpecLoader.parse("models: [{name: m, task: regression, features: [{name: x, type: numeric}]}]").model("m");
        SegmentProfile p = SegmentProfile.empty(spec);
        for (int i = 0; i < 1234; i++) {
            InferenceEvent e = new InferenceEvent();
            e.model = "m";
            e.modelVersion = "1";
            e.timestamp = i;
            e.numeric = new double[] {i};
            e.numericState = new byte[] {InferenceEvent.PRESENT};
            e.categorical = new String[0];
            e.categoricalState = new byte[0];
            p.add(e, spec);
        }
        byte[] bytes = ProfileCodec.encode(p);
        assertThat(ProfileCodec.events(bytes)).isEqualTo(1234).isEqualTo(ProfileCodec.decode(bytes).events());
    }
}
