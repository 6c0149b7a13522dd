package dev.vigil.profile;

import static dev.vigil.profile.QuantileChecks.assertQuantileWithinRankError;
import static dev.vigil.profile.TestEvents.SPEC;
import static dev.vigil.profile.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Profiles built from sketches against exact statistics of the raw samples. */
class ProfileMathTest {
    private static final ModelSpec M1 = SPEC.model("m1");
    private static final double[] RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    static Stream<Arguments> distributions() {
        SplittableRandom r = new SplittableRandom(7);
        return Stream.of(
                Arguments.of("normal", (DoubleSupplier) () -> 50 + 10 * gaussian(r)),
                Arguments.of("shifted normal", (DoubleSupplier) () -> 80 + 3 * gaussian(r)),
                Arguments.of("heavy-tailed lognormal", (DoubleSupplier) () -> Math.exp(2 + 1.5 * gaussian(r))),
                Arguments.of("discrete", (DoubleSupplier) () -> r.nextInt(6)),
                Arguments.of("uniform", (DoubleSupplier) () -> r.nextDouble() * 100));
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void numericFeatureMergedFromPartialsMatchesTheExactStatistics(String name, DoubleSupplier values) {
        int n = 50_000;
        int partials = 7;
        double[] samples = new double[n];
        List<SegmentProfile> parts = new ArrayList<>();
        for (int p = 0; p < partials; p++) parts.add(SegmentProfile.empty(M1));
        long outOfRange = 0;
        for (int i = 0; i < n; i++) {
            samples[i] = values.getAsDouble();
            if (samples[i] < 0 || samples[i] > 100) outOfRange++;
            parts.get(i % partials).add(event(i, "DE", "web", samples[i], "a"), M1);
        }
        // Merge through the wire format, as the job does.
        SegmentProfile total = SegmentProfile.empty(M1);
        for (SegmentProfile p : parts) total.merge(ProfileCodec.decode(ProfileCodec.encode(p)));

        NumericProfile x = total.numeric(0);
        assertThat(x.count()).isEqualTo(n);
        assertThat(x.outOfRange()).isEqualTo(outOfRange);
        assertThat(x.min()).isEqualTo(Arrays.stream(samples).min().orElseThrow());
        assertThat(x.max()).isEqualTo(Arrays.stream(samples).max().orElseThrow());
        double exactMean = Arrays.stream(samples).sum() / n;
        assertThat(x.mean()).isCloseTo(exactMean, within(1e-9 * Math.max(1, Math.abs(exactMean))));
        for (double rank : RANKS) {
            assertQuantileWithinRankError(samples, rank, x.quantile(rank), NumericProfile.rankError());
        }
    }

    @Test
    void countsMissingTypeMismatchAndNonFiniteValuesSeparately() {
        SegmentProfile p = SegmentProfile.empty(M1);
        p.add(event(1, "DE", "web", 1, "a"), M1);
        p.add(event(2, "DE", "web", Double.NaN, null), M1); // missing numeric and categorical
        InferenceEvent nan = event(3, "DE", "web", 0, "a");
        nan.numeric[0] = Double.NaN; // present but NaN
        p.add(nan, M1);
        InferenceEvent inf = event(4, "DE", "web", Double.POSITIVE_INFINITY, "a");
        p.add(inf, M1);
        InferenceEvent mismatch = event(5, "DE", "web", 0, "a");
        mismatch.numericState[0] = InferenceEvent.TYPE_MISMATCH;
        mismatch.categoricalState[0] = InferenceEvent.TYPE_MISMATCH;
        p.add(mismatch, M1);

        NumericProfile x = p.numeric(0);
        assertThat(x.count()).isEqualTo(1);
        assertThat(x.missing()).isEqualTo(1);
        assertThat(x.nanOrInfinite()).isEqualTo(2);
        assertThat(x.typeMismatch()).isEqualTo(1);
        CategoricalProfile c = p.categorical(0);
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.missing()).isEqualTo(1);
        assertThat(c.typeMismatch()).isEqualTo(1);
        assertThat(p.events()).isEqualTo(5);
    }

    @Test
    void categoricalTopValuesAreExactAndDistinctCountIsWithinTheHllError() {
        SplittableRandom r = new SplittableRandom(11);
        Map<String, Long> exact = new HashMap<>();
        SegmentProfile a = SegmentProfile.empty(M1);
        SegmentProfile b = SegmentProfile.empty(M1);
        long unexpected = 0;
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            // Zipf-like over 40 values: a, b and 38 unexpected ones.
            int k = (int) Math.floor(Math.pow(40, r.nextDouble())) - 1;
            String v = k == 0 ? "a" : k == 1 ? "b" : "v" + k;
            if (k > 1) unexpected++;
            exact.merge(v, 1L, Long::sum);
            (i % 2 == 0 ? a : b).add(event(i, "DE", "web", 1, v), M1);
        }
        a.merge(ProfileCodec.decode(ProfileCodec.encode(b)));
        CategoricalProfile c = a.categorical(0);
        assertThat(c.count()).isEqualTo(n);
        assertThat(c.unexpected()).isEqualTo(unexpected);
        assertThat(c.unexpectedShare()).isCloseTo((double) unexpected / n, within(1e-12));
        assertThat(c.distinctEstimate()).isCloseTo(exact.size(), within(exact.size() * 0.05 + 1));
        List<CategoricalProfile.ValueCount> top = c.topValues(10);
        List<Map.Entry<String, Long>> exactTop = exact.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).toList();
        assertThat(top).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(top.get(i).value()).isEqualTo(exactTop.get(i).getKey());
            assertThat(top.get(i).count()).isEqualTo(exactTop.get(i).getValue());
        }
    }

    @Test
    void serviceCountsAndLabelsMergeExactly() {
        SegmentProfile a = SegmentProfile.empty(M1);
        SegmentProfile b = SegmentProfile.empty(M1);
        for (int i = 0; i < 100; i++) {
            InferenceEvent e = event(i, "DE", "web", 1, "a");
            e.error = i % 10 == 0;
            e.fallback = i % 25 == 0;
            e.label = i % 3 == 0 ? "yes" : "no";
            (i < 37 ? a : b).add(e, M1);
        }
        a.merge(ProfileCodec.decode(ProfileCodec.encode(b)));
        assertThat(a.events()).isEqualTo(100);
        assertThat(a.errors()).isEqualTo(10);
        assertThat(a.fallbacks()).isEqualTo(4);
        assertThat(a.labels()).containsOnly(Map.entry("yes", 34L), Map.entry("no", 66L));
        assertThat(a.latency().count()).isEqualTo(100);
    }
}
