package dev.vigil.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.alerts.Evaluation;
import dev.vigil.events.InferenceEvent;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seasonal traffic baseline under event time, on the merged window profiles of one model and its segments. */
class TrafficAnomalyDetectorTest {
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long WINDOW = 5 * MIN;
    /** A Monday at 00:00 UTC, so days and buckets align with epoch time like real windows. */
    private static final long T0 = 20_000 * DAY;
    /** Traffic starts an hour before T0: the bucket of the first window seen is never history, so history starts at T0. */
    private static final long START = T0 - HOUR;

    private static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            models:
              - name: shop
                task: regression
                window: 5m
                allowed-lateness: 10m
                segments:
                  - {name: country, values: [GB, US]}
                traffic:
                  bucket: 1h
                  deviations: [4, 6]
                  min-history: 1d
                  history: 4
                  min-relative-spread: 0.1
                  min-expected: 20
                  segments: [country]
                  fire-after: 1
                  resolve-after: 1
            """);
    private static final ModelSpec SHOP = SPEC.model("shop");

    private KeyedOneInputStreamOperatorTestHarness<String, WindowProfile, TrafficExpectationRow> harness;
    /** Events sent per segment and hour bucket start, kept by the test to check the operator against. */
    private final Map<String, Map<Long, Long>> sent = new HashMap<>();

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrafficAnomalyDetector(SPEC)), TrafficAnomalyDetector::key, Types.STRING);
        harness.open();
    }

    /** Mean events per hour of the whole model: a daily cycle from 800/h at 03:00 to 3200/h at 15:00. */
    private static double ratePerHour(long t) {
        double hour = Math.floorMod(t, DAY) / (double) HOUR;
        return 2000 * (1 + 0.6 * Math.cos(2 * Math.PI * (hour - 15) / 24));
    }

    @Test
    void aNormalDailyCycleRaisesNothingAndADropAtAQuietHourIsCaught() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        long dropStart = T0 + 2 * DAY + 3 * HOUR; // the third day, 03:00-04:00: the quietest hour
        for (long w = START; w < T0 + 3 * DAY; w += WINDOW) {
            double mean = ratePerHour(w) * WINDOW / HOUR;
            long gb = noisy(r, 0.3 * mean);
            long us = noisy(r, 0.7 * mean);
            if (w >= dropStart && w < dropStart + HOUR) gb = Math.round(gb * 0.3);
            send(w, "1", "country=GB", gb);
            send(w, "1", "country=US", us);
            send(w, "1", "all", gb + us);
            harness.processWatermark(w + WINDOW - 1);
        }
        List<Evaluation> evaluations = evaluations();
        List<TrafficExpectationRow> rows = harness.extractOutputValues();

        // A bucket per hour and key from the first one with a day of history: 2 days x 24 hours x 3 keys.
        assertThat(evaluations).hasSize(144);
        assertThat(evaluations).allSatisfy(e -> {
            assertThat(e.evaluatedAt).isBetween(T0 + DAY + HOUR, T0 + 3 * DAY);
            assertThat(e.kind).isEqualTo("traffic");
            assertThat(e.modelVersion).isEqualTo("*");
            assertThat(e.feature).isEmpty();
            assertThat(e.fireAfter).isEqualTo(1);
        });
        assertThat(rows).hasSize(3 * 72); // from T0: the hour before holds the first window
        assertThat(rows).allSatisfy(row -> assertThat(row.bucketStart).isGreaterThanOrEqualTo(T0));
        assertThat(rows).filteredOn(row -> row.bucketStart < T0 + DAY).allSatisfy(row -> {
            assertThat(row.expected).isNull();
            assertThat(row.historySeasons).isZero();
        });

        // The quiet hour holds far less than the day's mean, yet the seasonal baseline expects it.
        long gbQuiet = sent.get("country=GB").get(T0 + DAY + 3 * HOUR);
        double gbMean = sent.get("country=GB").values().stream().mapToLong(Long::longValue).average().orElseThrow();
        assertThat(gbQuiet).isLessThan(Math.round(0.5 * gbMean));

        // Only the drop breaches.
        assertThat(evaluations).filteredOn(Evaluation::breaching).singleElement().satisfies(e -> {
            assertThat(e.segment).isEqualTo("country=GB");
            assertThat(e.evaluatedAt).isEqualTo(dropStart + HOUR);
            assertThat(e.severity).isEqualTo("critical");
            long observed = sent.get("country=GB").get(dropStart);
            long a = sent.get("country=GB").get(dropStart - DAY);
            long b = sent.get("country=GB").get(dropStart - 2 * DAY);
            double expected = (a + b) / 2.0;
            double mad = Math.abs(a - b) / 2.0;
            double spread = Math.max(1.4826 * mad, Math.max(Math.sqrt(expected * (1 + Math.PI / 4)), 0.1 * expected));
            assertThat(observed).isLessThan(Math.round(0.35 * expected));
            assertThat(e.score).isCloseTo((expected - observed) / spread, within(1e-9));
            assertThat(e.threshold).isEqualTo(6.0);
            assertThat(e.explanation).startsWith("Traffic drop of shop (all versions), segment country=GB: " + observed + " events")
                    .contains("robust deviations below (critical at 6.0)").contains("past 2 days");
        });
        TrafficExpectationRow dropped = rows.stream()
                .filter(row -> row.segment.equals("country=GB") && row.bucketStart == dropStart).findFirst().orElseThrow();
        assertThat(dropped.breached).isEqualTo("critical");
        assertThat(dropped.season).isEqualTo("day");
        assertThat(dropped.historySeasons).isEqualTo(2);
        assertThat(dropped.deviations).isNegative();
        // The whole model lost 70% of a third of its quiet-hour traffic: within its baseline.
        assertThat(evaluations).filteredOn(e -> e.segment.equals("all") && e.evaluatedAt == dropStart + HOUR)
                .singleElement().satisfies(e -> assertThat(e.breaching()).isFalse());
    }

    @Test
    void aWindowSentAgainReplacesItsCountPerVersionAndVersionsAreSummed() throws Exception {
        for (long w = START; w < T0 + DAY + HOUR; w += WINDOW) {
            send(w, "1", "all", 60);
            send(w, "2", "all", 40);
            if (w == T0 + DAY) send(w, "1", "all", 70); // late events: the window's new total, not an increment
            harness.processWatermark(w + WINDOW - 1);
        }
        Evaluation e = evaluations().stream().filter(x -> x.evaluatedAt == T0 + DAY + HOUR).findFirst().orElseThrow();
        // 12 windows x (60 + 40) the day before; 10 more now. Spread: 10% of 1200 beats sqrt(1200 x (1 + pi/2)) = 55.5.
        assertThat(e.score).isCloseTo(10 / 120.0, within(1e-12));
        assertThat(e.breaching()).isFalse();

        // Late events of the bucket after its evaluation: the row is rewritten, nothing is evaluated again.
        int evaluated = evaluations().size();
        send(T0 + DAY + HOUR - WINDOW, "2", "all", 45);
        assertThat(evaluations()).hasSize(evaluated);
        TrafficExpectationRow last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertThat(last.bucketStart).isEqualTo(T0 + DAY);
        assertThat(last.observed).isEqualTo(1215);
        assertThat(last.expected).isEqualTo(1200.0);
    }

    @Test
    void anHourWithoutAnyWindowIsEvaluatedAsADropToZero() throws Exception {
        for (long w = START; w < T0 + DAY + 3 * HOUR; w += WINDOW) {
            boolean outage = w >= T0 + DAY + HOUR && w < T0 + DAY + 2 * HOUR;
            send(w, "1", "all", 100);
            if (!outage) send(w, "1", "country=GB", 30);
            harness.processWatermark(w + WINDOW - 1);
        }
        List<Evaluation> gb = evaluations().stream().filter(e -> e.segment.equals("country=GB")).toList();
        assertThat(gb).extracting(e -> e.evaluatedAt).containsExactly(T0 + DAY + HOUR, T0 + DAY + 2 * HOUR, T0 + DAY + 3 * HOUR);
        assertThat(gb).extracting(e -> e.severity).containsExactly(null, "critical", null);
        assertThat(gb.get(1).explanation).contains(": 0 events");
    }

    @Test
    void theFirstBucketIsNotHistoryAndTheEndOfInputEvaluatesOnlyCoveredBuckets() throws Exception {
        long start = T0 + 30 * MIN; // traffic starts in the middle of the first hour
        for (long w = start; w < T0 + DAY + 2 * HOUR + 30 * MIN; w += WINDOW) {
            send(w, "1", "all", 100);
            harness.processWatermark(w + WINDOW - 1);
        }
        harness.processWatermark(Long.MAX_VALUE);
        List<TrafficExpectationRow> rows = harness.extractOutputValues();
        // Rows from 01:00 (the first complete bucket) to the last complete one, 01:00 the next day; none for 02:00-02:30.
        assertThat(rows).extracting(row -> row.bucketStart).containsExactlyElementsOf(
                java.util.stream.LongStream.iterate(T0 + HOUR, t -> t <= T0 + DAY + HOUR, t -> t + HOUR).boxed().toList());
        // Evaluated from 01:00 the next day (00:00 has no complete bucket a day earlier).
        assertThat(evaluations()).extracting(e -> e.evaluatedAt).containsExactly(T0 + DAY + 2 * HOUR);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSegmentOfATopNDimensionIsNotAlertedWhereItFoldedIntoOther() throws Exception {
        MonitorSpec capped = MonitorSpecLoader.parse("""
                models:
                  - name: shop
                    task: regression
                    window: 5m
                    segments: [{name: country, max-values: 2}]
                    traffic: {bucket: 1h, min-history: 1d, segments: [country], fire-after: 1}
                """);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrafficAnomalyDetector(capped)), TrafficAnomalyDetector::key, Types.STRING);
        harness.open();
        for (long w = START; w < T0 + DAY + 4 * HOUR; w += WINDOW) {
            long hour = Math.floorDiv(w - T0, HOUR);
            // Yesterday the segment held its own row in every window except at 01:00, where it folded into other half
            // the time. Today it collapses at 00:00 and 03:00 (no row in any window: a real drop), and at 02:00 it
            // folds half the time.
            boolean ownRow = (hour != 1 && hour != 26) || (w / WINDOW) % 2 == 0;
            boolean collapsed = hour == 24 || hour == 27;
            if (ownRow && !collapsed) send(w, "1", "country=IT", 100);
            harness.processWatermark(w + WINDOW - 1);
        }
        List<Evaluation> it = evaluations();
        assertThat(it).extracting(e -> e.severity).containsExactly("critical", null, null, "critical");
        assertThat(it.get(1).explanation).contains("not alerted: the segment did not keep its own row in every window");
        assertThat(it.get(2).explanation).contains("not alerted: the segment did not keep its own row in every window");
    }

    private void send(long windowStart, String version, String segment, long events) throws Exception {
        SegmentProfile p = SegmentProfile.empty(SHOP);
        InferenceEvent e = new InferenceEvent();
        e.model = "shop";
        e.modelVersion = version;
        e.value = 1.0;
        for (long i = 0; i < events; i++) p.add(e, SHOP);
        WindowProfile profile = new WindowProfile("shop", version, segment, windowStart, windowStart + WINDOW, ProfileCodec.encode(p));
        harness.processElement(new StreamRecord<>(profile, windowStart + WINDOW - 1));
        sent.computeIfAbsent(segment, s -> new HashMap<>()).merge(windowStart - Math.floorMod(windowStart, HOUR), events, Long::sum);
    }

    private static long noisy(SplittableRandom r, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
    }

    private List<Evaluation> evaluations() {
        return harness.getSideOutput(TrafficAnomalyDetector.EVALUATIONS) == null ? List.of()
                : harness.getSideOutput(TrafficAnomalyDetector.EVALUATIONS).stream().map(StreamRecord::getValue).toList();
    }
}
