package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.classified;
import static dev.vigil.performance.TestOutcomes.delayed;
import static dev.vigil.performance.TestOutcomes.estimated;
import static dev.vigil.performance.TestOutcomes.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Merging partial accumulators equals accumulating everything in one, and the binary form
 * round-trips: what the windowed aggregator relies on when it keeps accumulators in state.
 */
class MergeAndSerializationTest {
    private static final List<String> EXACT_METRICS = List.of("accuracy", "precision", "recall", "f1", "roc_auc",
            "macro_f1", "label_coverage", "label_delay_p50_ms", "label_delay_p90_ms", "label_delay_p99_ms");

    /** A random stream of predictions and labels of the task, with some unscorable labels. */
    private static List<Outcome> traffic(ModelTask task, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Outcome prediction = new Outcome();
            prediction.type = Outcome.PREDICTION;
            outcomes.add(prediction);
            if (random.nextDouble() < 0.3) continue;
            Outcome label = switch (task) {
                case BINARY_CLASSIFICATION -> {
                    boolean positive = random.nextDouble() < 0.2;
                    double score = Math.round((positive ? 0.5 : 0.3) * 10_000 + random.nextInt(5_000)) / 10_000.0;
                    yield random.nextDouble() < 0.02 ? scored(Double.NaN, "fraud") : scored(Math.min(score, 1), positive ? "fraud" : "legit");
                }
                case MULTICLASS_CLASSIFICATION -> {
                    String truth = "c" + random.nextInt(6);
                    yield classified(random.nextDouble() < 0.7 ? truth : "c" + random.nextInt(7), truth);
                }
                case REGRESSION -> {
                    double truth = random.nextDouble() < 0.05 ? 0 : 100 * random.nextDouble();
                    yield estimated(truth + 10 * (random.nextDouble() - 0.4), truth);
                }
                case RANKING -> TestOutcomes.label();
            };
            outcomes.add(delayed(label, (long) Math.exp(random.nextDouble() * 20) - 1_000));
        }
        return outcomes;
    }

    private static PerformanceAccumulator create(ModelTask task) {
        return PerformanceAccumulator.create(task, "fraud", 0.5);
    }

    private static void add(PerformanceAccumulator acc, Outcome o) {
        if (Outcome.PREDICTION.equals(o.type)) acc.addPrediction();
        else acc.addLabel(o);
    }

    private static void assertSameMetrics(PerformanceAccumulator actual, PerformanceAccumulator expected) {
        assertThat(actual.predictions()).isEqualTo(expected.predictions());
        assertThat(actual.labels()).isEqualTo(expected.labels());
        assertThat(actual.labelsBeforePrediction()).isEqualTo(expected.labelsBeforePrediction());
        assertThat(actual.evaluatedLabels()).isEqualTo(expected.evaluatedLabels());
        SortedMap<String, Double> a = actual.metrics();
        SortedMap<String, Double> e = expected.metrics();
        assertThat(a.keySet()).isEqualTo(e.keySet());
        for (Map.Entry<String, Double> metric : e.entrySet()) {
            if (EXACT_METRICS.contains(metric.getKey())) {
                assertThat(a.get(metric.getKey())).as(metric.getKey()).isEqualTo(metric.getValue());
            } else {
                assertThat(a.get(metric.getKey())).as(metric.getKey())
                        .isCloseTo(metric.getValue(), within(1e-12 * Math.max(1, Math.abs(metric.getValue()))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelTask.class)
    void mergingPartialsEqualsAccumulatingEverything(ModelTask task) {
        for (long seed = 1; seed <= 10; seed++) {
            List<Outcome> outcomes = traffic(task, 3_000, seed);
            PerformanceAccumulator sequential = create(task);
            outcomes.forEach(o -> add(sequential, o));

            // Cut the stream at random points; each part is accumulated, serialized, read back, merged.
            SplittableRandom random = new SplittableRandom(seed * 31);
            int[] cuts = random.ints(1 + random.nextInt(6), 0, outcomes.size()).sorted().toArray();
            PerformanceAccumulator merged = create(task);
            int from = 0;
            for (int cut : concat(cuts, outcomes.size())) {
                PerformanceAccumulator part = create(task);
                outcomes.subList(from, cut).forEach(o -> add(part, o));
                merged.merge(PerformanceAccumulator.fromBytes(part.toBytes()));
                from = cut;
            }
            assertThat(merged.metrics()).as("seed %d", seed).isNotEmpty();
            assertSameMetrics(merged, sequential);
        }
    }

    private static int[] concat(int[] cuts, int end) {
        int[] all = Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = end;
        return all;
    }

    @ParameterizedTest
    @EnumSource(ModelTask.class)
    void theBinaryFormRoundTripsExactly(ModelTask task) {
        PerformanceAccumulator original = create(task);
        traffic(task, 2_000, 3).forEach(o -> add(original, o));
        byte[] bytes = original.toBytes();
        PerformanceAccumulator copy = PerformanceAccumulator.fromBytes(bytes);
        assertThat(copy.task()).isEqualTo(task);
        assertThat(copy.metrics()).isEqualTo(original.metrics());
        assertThat(copy.toBytes()).isEqualTo(bytes);
        assertThat(bytes[0]).isEqualTo(PerformanceAccumulator.FORMAT_VERSION);

        PerformanceAccumulator empty = create(task);
        assertThat(PerformanceAccumulator.fromBytes(empty.toBytes()).metrics()).isEmpty();
    }

    /** The state sizes stated in docs/performance-metrics.md. */
    @Test
    void stateSizeIsBounded() {
        // 2 header bytes, 3 counts, empty delays (2), the positive label (1 + 5), the threshold (8), 6 counts.
        assertThat(create(ModelTask.BINARY_CLASSIFICATION).toBytes()).hasSize(22 + "fraud".length());
        assertThat(create(ModelTask.MULTICLASS_CLASSIFICATION).toBytes()).hasSize(13);
        assertThat(create(ModelTask.REGRESSION).toBytes()).hasSize(9);

        for (int n : new int[] {100, 1_000, 10_000, 100_000}) {
            PerformanceAccumulator binary = create(ModelTask.BINARY_CLASSIFICATION);
            traffic(ModelTask.BINARY_CLASSIFICATION, n, n).forEach(o -> add(binary, o));
            PerformanceAccumulator multiclass = create(ModelTask.MULTICLASS_CLASSIFICATION);
            traffic(ModelTask.MULTICLASS_CLASSIFICATION, n, n).forEach(o -> add(multiclass, o));
            PerformanceAccumulator regression = create(ModelTask.REGRESSION);
            traffic(ModelTask.REGRESSION, n, n).forEach(o -> add(regression, o));
            System.out.printf("performance state bytes after %,d predictions: binary %,d, multiclass %,d, regression %,d%n",
                    n, binary.toBytes().length, multiclass.toBytes().length, regression.toBytes().length);
            // Binary: the score histograms hold at most 10,001 bins per class; delays ~1,000 buckets.
            assertThat(binary.toBytes().length).isLessThanOrEqualTo(BYTES_BINARY_MAX);
            assertThat(multiclass.toBytes().length).isLessThanOrEqualTo(BYTES_WITHOUT_SCORES_MAX);
            assertThat(regression.toBytes().length).isLessThanOrEqualTo(BYTES_WITHOUT_SCORES_MAX);
        }
    }

    /** Worst case: every one of the 10,001 score bins used by both classes, plus the delays. */
    private static final int BYTES_BINARY_MAX = 90_000;

    @Test
    void theLargestBinaryStateIsBoundedByTheScoreResolution() {
        PerformanceAccumulator acc = create(ModelTask.BINARY_CLASSIFICATION);
        for (int bin = 0; bin <= BinaryClassificationPerformance.SCORE_RESOLUTION; bin++) {
            double score = bin / (double) BinaryClassificationPerformance.SCORE_RESOLUTION;
            acc.addPrediction();
            acc.addLabel(delayed(scored(score, "fraud"), (long) Math.exp(bin / 10_000.0 * 21.7)));
            acc.addPrediction();
            acc.addLabel(delayed(scored(score, "legit"), (long) Math.exp(bin / 10_000.0 * 21.7) + 1));
        }
        // Double the counts 20 times: about 21 billion labels, a million per bin and class.
        for (int i = 0; i < 20; i++) acc.merge(PerformanceAccumulator.fromBytes(acc.toBytes()));
        assertThat(acc.labels()).isEqualTo(2L * 10_001 << 20);
        assertThat(acc.metrics().get("roc_auc")).isEqualTo(0.5);
        int size = acc.toBytes().length;
        System.out.printf("largest binary performance state: %,d bytes%n", size);
        assertThat(size).isLessThanOrEqualTo(BYTES_BINARY_MAX);
    }

    /** About 1,000 delay buckets (1 ms to 30 days at 1%) of up to 3 bytes, and the sums. */
    private static final int BYTES_WITHOUT_SCORES_MAX = 4_000;

    @ParameterizedTest
    @EnumSource(ModelTask.class)
    void mergingAnAccumulatorIntoItselfDoublesIt(ModelTask task) {
        List<Outcome> outcomes = traffic(task, 1_000, 9);
        PerformanceAccumulator doubled = create(task);
        outcomes.forEach(o -> add(doubled, o));
        doubled.merge(doubled);
        PerformanceAccumulator twice = create(task);
        outcomes.forEach(o -> add(twice, o));
        outcomes.forEach(o -> add(twice, o));
        assertSameMetrics(doubled, twice);
    }

    @Test
    void mergingDifferentTasksOrThresholdsIsRefused() {
        PerformanceAccumulator binary = PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", 0.5);
        assertThatThrownBy(() -> binary.merge(create(ModelTask.REGRESSION)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regression");
        assertThatThrownBy(() -> binary.merge(PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", 0.6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> binary.merge(PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "spam", 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive label");
    }

    @Test
    void corruptOrUnknownBytesAreRejected() {
        byte[] good = create(ModelTask.BINARY_CLASSIFICATION).toBytes();
        byte[] futureVersion = good.clone();
        futureVersion[0] = 9;
        assertThatThrownBy(() -> PerformanceAccumulator.fromBytes(futureVersion))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> PerformanceAccumulator.fromBytes(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerformanceAccumulator.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> PerformanceAccumulator.fromBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
