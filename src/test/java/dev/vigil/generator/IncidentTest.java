package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.generator.TestSupport.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Each incident kind changes what it should inside its interval and segment, and nothing else:
 * every event outside is byte-identical to a run without the incident.
 */
class IncidentTest {

    private static final Duration RUN = Duration.ofMinutes(100);
    private static final Duration START = Duration.ofMinutes(30);
    private static final Duration LENGTH = Duration.ofMinutes(45);
    private static final long T0 = TestSupport.WEDNESDAY_NOON.plus(START).toEpochMilli();
    private static final long T1 = T0 + LENGTH.toMillis();
    private static final Map<String, Map<String, Event>> BASELINES = new ConcurrentHashMap<>();

    private static GeneratorConfig config(String model) {
        return TestSupport.config(RUN).models(model).rateMultiplier(0.6).build();
    }

    private static Map<String, Event> baseline(String model) {
        return BASELINES.computeIfAbsent(model, m -> TestSupport.goodEvents(config(m), Scenario.empty()));
    }

    private static Map<String, Event> withIncident(Incident incident) {
        return TestSupport.goodEvents(config(incident.model()), Scenario.of(incident));
    }

    private static Incident incident(IncidentKind kind, String model, String segment, String feature,
            double magnitude, String value) {
        return new Incident(null, kind, model, SegmentSelector.parse(segment), feature, START, LENGTH, magnitude, value);
    }

    private static boolean inWindow(Event e) {
        return e.time() >= T0 && e.time() < T1;
    }

    /** Outside the scope, the two runs have exactly the same events, byte for byte. */
    private static void assertUnchangedOutside(Map<String, Event> base, Map<String, Event> changed, Predicate<Event> scope) {
        long outside = 0;
        List<String> differing = new java.util.ArrayList<>();
        for (Event e : changed.values()) {
            if (!scope.test(e)) {
                outside++;
                Event b = base.get(e.requestId());
                if (b == null || !java.util.Arrays.equals(e.record().payload(), b.record().payload())) {
                    differing.add(e.record().payloadAsString());
                }
            }
        }
        assertThat(differing).as("events outside the incident that differ from the baseline").isEmpty();
        long baseOutside = base.values().stream().filter(scope.negate()).count();
        assertThat(outside).isEqualTo(baseOutside).isPositive();
    }

    private static Predicate<Event> scope(String dim, String value) {
        return e -> inWindow(e) && (dim == null || e.segment(dim).equals(value));
    }

    @Test
    void numericShiftMovesTheMeanBySdsInsideTheSegmentOnly() {
        String model = DemoModels.FRAUD_SCORER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.NUMERIC_SHIFT, model, "country=DE", "amount", 2.0, null));
        Predicate<Event> scope = scope("country", "DE");
        assertUnchangedOutside(base, changed, scope);

        double sd = DemoModels.referenceStdDev(model, "amount");
        assertThat(sd).isBetween(50.0, 300.0);
        double sumBase = 0;
        double sumChanged = 0;
        int n = 0;
        for (Event e : TestSupport.filter(changed, scope)) {
            JsonNode a = e.feature("amount");
            JsonNode b = base.get(e.requestId()).feature("amount");
            if (a != null && a.isNumber() && b != null && b.isNumber()) {
                assertThat(a.asDouble() - b.asDouble()).isCloseTo(2.0 * sd, within(0.011));
                sumBase += b.asDouble();
                sumChanged += a.asDouble();
                n++;
            }
        }
        assertThat(n).isGreaterThan(1000);
        assertThat((sumChanged - sumBase) / n / sd).isCloseTo(2.0, within(0.01));
    }

    @Test
    void numericShiftOnAnIntegerFeatureKeepsIntegers() {
        String model = DemoModels.TICKET_ROUTER;
        Map<String, Event> changed = withIncident(
                incident(IncidentKind.NUMERIC_SHIFT, model, "all", "customer_tenure_months", 1.0, null));
        assertUnchangedOutside(baseline(model), changed, scope(null, null));
        assertThat(TestSupport.filter(changed, scope(null, null)))
                .allSatisfy(e -> {
                    JsonNode v = e.feature("customer_tenure_months");
                    if (v != null && !v.isNull()) {
                        assertThat(v.isIntegralNumber()).isTrue();
                    }
                });
    }

    @Test
    void newCategoryAppearsWithTheGivenShare() {
        String model = DemoModels.TICKET_ROUTER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.NEW_CATEGORY, model, "channel=chat", "language", 0.3, null));
        Predicate<Event> scope = scope("channel", "chat");
        assertUnchangedOutside(base, changed, scope);

        String newValue = DemoModels.defaultNewCategory(model, "language");
        assertThat(TestSupport.texts(TestSupport.specFeatures(model).get("language").get("categories")))
                .doesNotContain(newValue);
        List<Event> inside = TestSupport.filter(changed, scope);
        long hits = inside.stream().filter(e -> e.feature("language") != null
                && newValue.equals(e.feature("language").asText())).count();
        assertThat(inside.size()).isGreaterThan(1000);
        assertThat(hits / (double) inside.size()).isCloseTo(0.3, within(0.04));
        assertThat(changed.values().stream().filter(scope.negate())
                .filter(e -> e.feature("language") != null && newValue.equals(e.feature("language").asText())))
                .isEmpty();

        Map<String, Event> custom = withIncident(incident(IncidentKind.NEW_CATEGORY, model, "all", "product", 1.0, "insurance-plus"));
        assertThat(TestSupport.filter(custom, scope(null, null)))
                .allSatisfy(e -> assertThat(e.feature("product").asText()).isEqualTo("insurance-plus"));
    }

    @Test
    void scoreShiftRaisesScoresInside() {
        String model = DemoModels.FRAUD_SCORER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.SCORE_SHIFT, model, "channel=app", null, 1.5, null));
        Predicate<Event> scope = scope("channel", "app");
        assertUnchangedOutside(base, changed, scope);

        long fraudBase = 0;
        long fraudChanged = 0;
        double sumBase = 0;
        double sumChanged = 0;
        int n = 0;
        for (Event e : TestSupport.filter(changed, scope)) {
            if (!e.ok() || !e.byModel()) {
                continue;
            }
            double s = e.json().get("prediction").get("score").asDouble();
            double b = base.get(e.requestId()).json().get("prediction").get("score").asDouble();
            assertThat(s).isGreaterThanOrEqualTo(b);
            sumBase += b;
            sumChanged += s;
            fraudBase += b >= 0.5 ? 1 : 0;
            fraudChanged += s >= 0.5 ? 1 : 0;
            n++;
        }
        assertThat(n).isGreaterThan(1000);
        assertThat(sumChanged / sumBase).isGreaterThan(2.5);
        assertThat(fraudChanged).isGreaterThan(2 * fraudBase);
    }

    @Test
    void scoreShiftOnRegressionScalesTheValue() {
        String model = DemoModels.PRICE_ESTIMATOR;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.SCORE_SHIFT, model, "region=west", null, 0.2, null));
        Predicate<Event> scope = scope("region", "west");
        assertUnchangedOutside(base, changed, scope);
        for (Event e : TestSupport.filter(changed, scope)) {
            if (e.ok() && e.byModel()) {
                double v = e.json().get("prediction").get("value").asDouble();
                double b = base.get(e.requestId()).json().get("prediction").get("value").asDouble();
                if (b < 4_000_000) { // not clamped at the top of the value range
                    assertThat(v / b).isCloseTo(1.2, within(0.001));
                }
            }
        }
    }

    @Test
    void errorSpikeRaisesTheErrorRateToTheMagnitude() {
        String model = DemoModels.PRICE_ESTIMATOR;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.ERROR_SPIKE, model, "region=south", null, 0.25, null));
        Predicate<Event> scope = scope("region", "south");
        assertUnchangedOutside(base, changed, scope);

        List<Event> inside = TestSupport.filter(changed, scope);
        long errors = inside.stream().filter(e -> !e.ok()).count();
        assertThat(inside.size()).isGreaterThan(1000);
        assertThat(errors / (double) inside.size()).isCloseTo(0.25, within(0.04));
        assertThat(inside.stream().filter(e -> !e.ok()))
                .allSatisfy(e -> {
                    assertThat(e.json().has("prediction")).isFalse();
                    assertThat(TestSupport.ERROR_CODES).contains(e.json().get("error_code").asText());
                });
        List<Event> outside = TestSupport.filter(changed, scope.negate());
        assertThat(outside.stream().filter(e -> !e.ok()).count() / (double) outside.size()).isLessThan(0.01);
    }

    @Test
    void latencyRegressionMultipliesLatency() {
        String model = DemoModels.TICKET_ROUTER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.LATENCY_REGRESSION, model, "all", null, 4.0, null));
        Predicate<Event> scope = scope(null, null);
        assertUnchangedOutside(base, changed, scope);
        List<Event> inside = TestSupport.filter(changed, scope);
        assertThat(inside).hasSizeGreaterThan(1000);
        for (Event e : inside) {
            assertThat(e.latency()).isCloseTo(4.0 * base.get(e.requestId()).latency(), within(0.03));
        }
    }

    @Test
    void trafficDropThinsTheSegment() {
        String model = DemoModels.FRAUD_SCORER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.TRAFFIC_DROP, model, "country=GB", null, 0.1, null));
        Predicate<Event> scope = scope("country", "GB");
        assertUnchangedOutside(base, changed, scope);
        List<Event> inside = TestSupport.filter(changed, scope);
        long before = base.values().stream().filter(scope).count();
        assertThat(before).isGreaterThan(2000);
        assertThat(inside.size() / (double) before).isCloseTo(0.1, within(0.02));
        // the events that remain are the baseline's, unchanged
        assertThat(inside).allSatisfy(e -> assertThat(e.record().payload())
                .isEqualTo(base.get(e.requestId()).record().payload()));
    }

    @Test
    void trafficDropAboveOneIsASurge() {
        String model = DemoModels.FRAUD_SCORER;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.TRAFFIC_DROP, model, "country=GB", null, 3.0, null));
        Predicate<Event> scope = scope("country", "GB");
        assertUnchangedOutside(base, changed, scope);
        long before = base.values().stream().filter(scope).count();
        long after = changed.values().stream().filter(scope).count();
        assertThat(after / (double) before).isCloseTo(3.0, within(0.2));
        assertThat(base.values().stream().filter(scope)).allSatisfy(e -> assertThat(changed).containsKey(e.requestId()));
        // surge events belong to the segment and are well formed
        assertThat(changed.values().stream().filter(e -> !base.containsKey(e.requestId())))
                .allSatisfy(e -> assertThat(scope.test(e)).isTrue());
    }

    @Test
    void silenceRemovesAllTrafficOfTheModel() {
        String model = DemoModels.PRICE_ESTIMATOR;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.SILENCE, model, "all", null, Double.NaN, null));
        Predicate<Event> scope = scope(null, null);
        assertUnchangedOutside(base, changed, scope);
        assertThat(TestSupport.filter(changed, scope)).isEmpty();
        assertThat(base.values().stream().filter(scope).count()).isGreaterThan(1000);

        Map<String, Event> north = withIncident(incident(IncidentKind.SILENCE, model, "region=north", null, Double.NaN, null));
        assertUnchangedOutside(base, north, scope("region", "north"));
        assertThat(TestSupport.filter(north, scope("region", "north"))).isEmpty();
    }

    @Test
    void stuckFeatureArrivesConstant() {
        String model = DemoModels.PRICE_ESTIMATOR;
        Map<String, Event> base = baseline(model);
        Map<String, Event> changed = withIncident(incident(IncidentKind.STUCK_FEATURE, model, "all", "building_age_years", Double.NaN, null));
        Predicate<Event> scope = scope(null, null);
        assertUnchangedOutside(base, changed, scope);
        List<Event> inside = TestSupport.filter(changed, scope);
        assertThat(inside).hasSizeGreaterThan(1000);
        assertThat(inside).allSatisfy(e -> assertThat(e.feature("building_age_years").asDouble()).isEqualTo(0.0));

        Map<String, Event> valued = withIncident(incident(IncidentKind.STUCK_FEATURE, model, "device=ios", "square_meters", 1.0, "55.5"));
        assertUnchangedOutside(base, valued, scope("device", "ios"));
        assertThat(TestSupport.filter(valued, scope("device", "ios")))
                .allSatisfy(e -> assertThat(e.feature("square_meters").asDouble()).isEqualTo(55.5));

        Map<String, Event> categorical = withIncident(incident(IncidentKind.STUCK_FEATURE, model, "all", "energy_label", Double.NaN, null));
        assertThat(TestSupport.filter(categorical, scope))
                .allSatisfy(e -> assertThat(e.feature("energy_label").asText()).isEqualTo("D"));
    }

    @Test
    void overrideRiseLeavesInferenceEventsUnchanged() {
        String model = DemoModels.FRAUD_SCORER;
        Incident inc = incident(IncidentKind.OVERRIDE_RISE, model, "all", null, 0.3, null);
        TrafficGenerator g = new TrafficGenerator(config(model), Scenario.of(inc));
        List<GeneratedRecord> changed = g.stream().toList();
        List<GeneratedRecord> base = TrafficGenerator.generateAll(config(model), Scenario.empty());
        assertThat(changed).hasSameSizeAs(base);
        for (int i = 0; i < base.size(); i++) {
            assertThat(changed.get(i).payload()).isEqualTo(base.get(i).payload());
        }
        assertThat(g.stats().incidents()).hasSize(1);
        assertThat(g.stats().incidents().get(0).kind()).isEqualTo(IncidentKind.OVERRIDE_RISE);
        assertThat(g.stats().summary()).contains("override_rise");
    }

    @Test
    void demoScenarioAffectsOnlyItsWindows() {
        // the demo scenario's first incident starts after 1h: the first 55 minutes are the baseline's
        GeneratorConfig config = TestSupport.config(Duration.ofHours(6)).rateMultiplier(0.1).build();
        long cut = config.start().toEpochMilli() + Duration.ofMinutes(55).toMillis();
        Map<String, Event> base = TestSupport.goodEvents(config, Scenario.empty());
        Map<String, Event> demo = TestSupport.goodEvents(config, Scenario.demo());
        assertUnchangedOutside(base, demo, e -> e.time() >= cut);
        assertThat(demo.size()).isLessThan(base.size()); // silence and the traffic drop remove events
    }
}
