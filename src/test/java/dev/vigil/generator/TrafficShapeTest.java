package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficShapeTest {

    private static final Instant WEDNESDAY = Instant.parse("2026-11-25T00:00:00Z");
    private static final Instant SATURDAY = Instant.parse("2026-11-28T00:00:00Z");

    private static long[] countsPerHour(GeneratorConfig config) {
        long[] hours = new long[(int) config.duration().toHours()];
        long start = config.start().toEpochMilli();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.empty());
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            hours[(int) ((r.eventTimeMillis() - start) / 3_600_000L)]++;
        }
        return hours;
    }

    @Test
    void dailyCyclePeaksInTheAfternoonWithTroughAtNight() {
        for (String model : DemoModels.names()) {
            GeneratorConfig config = GeneratorConfig.builder().seed(1).start(WEDNESDAY).duration(Duration.ofDays(1))
                    .models(model).rateMultiplier(0.25).build();
            long[] hours = countsPerHour(config);
            int peak = argMax(hours);
            int trough = argMin(hours);
            assertThat(hours[peak]).as("%s peak vs trough: %s", model, Arrays.toString(hours))
                    .isGreaterThan(2 * hours[trough]);
            assertThat(hours[peak] / (double) hours[trough]).isBetween(3.0, 5.0);
            assertThat(peak).as("%s peak hour", model).isBetween(12, 18);
            assertThat(trough).as("%s trough hour", model).isIn(0, 1, 2, 3, 4, 5, 6, 23);
        }
    }

    @Test
    void weekendsAreQuieterThanWeekdays() {
        GeneratorConfig wed = GeneratorConfig.builder().seed(3).start(WEDNESDAY).duration(Duration.ofDays(1))
                .rateMultiplier(0.1).build();
        GeneratorConfig sat = wed.toBuilder().start(SATURDAY).build();
        long weekday = Arrays.stream(countsPerHour(wed)).sum();
        long saturday = Arrays.stream(countsPerHour(sat)).sum();
        assertThat(saturday / (double) weekday).isBetween(0.7, 0.8);
    }

    @Test
    void weekdayRatesMatchTheDocumentedBaseRates() {
        GeneratorConfig config = GeneratorConfig.builder().seed(5).start(WEDNESDAY).duration(Duration.ofDays(1))
                .rateMultiplier(0.5).build();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.empty());
        g.forEachRemaining(r -> { });
        GenerationStats stats = g.stats();
        for (String model : DemoModels.names()) {
            double perHour = stats.events(model) / 24.0 / 0.5;
            assertThat(perHour).as(model).isCloseTo(DemoModels.baseRatePerHour(model),
                    org.assertj.core.data.Percentage.withPercentage(2));
        }
        assertThat(DemoModels.baseRatePerHour(DemoModels.FRAUD_SCORER)).isEqualTo(36_000);
        double fraudShare = stats.events(DemoModels.FRAUD_SCORER) / (double) stats.events();
        assertThat(fraudShare).isBetween(0.58, 0.62);
    }

    @Test
    void rateMultiplierAndPerModelRatesScaleTraffic() {
        GeneratorConfig base = TestSupport.config(Duration.ofMinutes(30)).build();
        long n1 = TrafficGenerator.generateAll(base, Scenario.empty()).size();
        long n3 = TrafficGenerator.generateAll(base.toBuilder().rateMultiplier(3).build(), Scenario.empty()).size();
        assertThat(n3 / (double) n1).isBetween(2.85, 3.15);

        GeneratorConfig custom = base.toBuilder().models(DemoModels.PRICE_ESTIMATOR)
                .ratePerHour(DemoModels.PRICE_ESTIMATOR, 1000).build();
        TrafficGenerator g = new TrafficGenerator(custom, Scenario.empty());
        g.forEachRemaining(r -> assertThat(r.model()).isEqualTo(DemoModels.PRICE_ESTIMATOR));
        // price-estimator peaks at 17:00; 12:00-12:30 runs at about 1.15x the mean: ~578 expected
        assertThat(g.stats().events(DemoModels.PRICE_ESTIMATOR)).isBetween(500L, 660L);
    }

    @Test
    void arrivalsArePoissonLike() {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(10)).models(DemoModels.FRAUD_SCORER).build();
        Map<Long, Integer> perSecond = new HashMap<>();
        for (GeneratedRecord r : TrafficGenerator.generateAll(config, Scenario.empty())) {
            perSecond.merge(r.eventTimeMillis() / 1000, 1, Integer::sum);
        }
        double[] counts = new double[600];
        long start = config.start().toEpochMilli() / 1000;
        perSecond.forEach((s, c) -> counts[(int) (s - start)] = c);
        double mean = Arrays.stream(counts).average().orElseThrow();
        double var = Arrays.stream(counts).map(c -> (c - mean) * (c - mean)).sum() / (counts.length - 1);
        assertThat(mean).isBetween(12.0, 18.0);
        assertThat(var / mean).isBetween(0.75, 1.3);
    }

    @Test
    void latenciesAreLognormalPerModelWithAHeavyTail() {
        GeneratorConfig config = TestSupport.config(Duration.ofHours(1)).errorRate(0).fallbackRate(0).build();
        Map<String, List<Double>> latencies = new HashMap<>();
        for (GeneratedRecord r : TrafficGenerator.generateAll(config, Scenario.empty())) {
            JsonNode e = TestSupport.parse(r);
            latencies.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(e.get("latency_ms").asDouble());
        }
        Map<String, Double> expectedMedian = Map.of(
                DemoModels.FRAUD_SCORER, 11.0, DemoModels.TICKET_ROUTER, 85.0, DemoModels.PRICE_ESTIMATOR, 28.0);
        for (Map.Entry<String, List<Double>> e : latencies.entrySet()) {
            double[] l = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double p50 = l[l.length / 2];
            double p999 = l[(int) (l.length * 0.999)];
            assertThat(p50).as(e.getKey()).isCloseTo(expectedMedian.get(e.getKey()),
                    org.assertj.core.data.Percentage.withPercentage(5));
            assertThat(p999 / p50).as("tail of %s", e.getKey()).isGreaterThan(4);
            assertThat(l[0]).isPositive();
        }
    }

    private static int argMax(long[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argMin(long[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[best]) {
                best = i;
            }
        }
        return best;
    }
}
