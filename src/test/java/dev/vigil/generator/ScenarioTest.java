package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

    @Test
    void demoScenarioHasOneIncidentOfEachKindWithinSixHours() {
        Scenario demo = Scenario.demo();
        assertThat(demo.name()).isEqualTo("demo");
        Set<IncidentKind> kinds = EnumSet.noneOf(IncidentKind.class);
        for (Incident i : demo.incidents()) {
            kinds.add(i.kind());
            assertThat(i.id()).isNotBlank();
            assertThat(i.start()).isGreaterThanOrEqualTo(Duration.ofHours(1));
            assertThat(i.end()).isLessThanOrEqualTo(Duration.ofHours(6));
        }
        assertThat(kinds).containsExactlyInAnyOrder(IncidentKind.values());
        assertThat(demo.end()).isLessThanOrEqualTo(Duration.ofHours(6));

        Incident first = demo.incidents().get(0);
        assertThat(first.kind()).isEqualTo(IncidentKind.NUMERIC_SHIFT);
        assertThat(first.model()).isEqualTo("fraud-scorer");
        assertThat(first.segment().conditions()).containsEntry("country", "DE");
        assertThat(first.feature()).isEqualTo("amount");
        assertThat(first.start()).isEqualTo(Duration.ofHours(1));
        assertThat(first.duration()).isEqualTo(Duration.ofMinutes(45));
        assertThat(first.magnitude()).isEqualTo(1.5);
    }

    @Test
    void loadsFromAFileAndAcceptsABareListAndSegmentMaps(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                - kind: error-spike
                  model: ticket-router
                  segment: {country: DE, channel: chat}
                  start: 90s
                  duration: 1h30m
                  magnitude: 0.5
                - kind: stuck_feature
                  model: price-estimator
                  feature: energy_label
                  start: 0
                  duration: PT10M
                """);
        Scenario s = Scenario.load(file);
        assertThat(s.incidents()).hasSize(2);
        Incident a = s.incidents().get(0);
        assertThat(a.kind()).isEqualTo(IncidentKind.ERROR_SPIKE);
        assertThat(a.id()).isEqualTo("error_spike-1");
        assertThat(a.segment().toString()).isEqualTo("country=DE,channel=chat");
        assertThat(a.start()).isEqualTo(Duration.ofSeconds(90));
        assertThat(a.duration()).isEqualTo(Duration.ofMinutes(90));
        Incident b = s.incidents().get(1);
        assertThat(b.segment().isAll()).isTrue();
        assertThat(b.magnitude()).isEqualTo(1.0); // stuck_feature defaults to every event
        assertThat(b.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.incidentsFor("price-estimator")).containsExactly(b);
    }

    @Test
    void validationNamesTheEntryIndexAndField() {
        String yaml = """
                incidents:
                  - kind: meltdown
                    model: fraud-scorer
                    start: 1h
                    duration: 10m
                  - kind: error_spike
                    start: 1h
                    duration: 10m
                    magnitude: 0.2
                  - kind: silence
                    model: price-estimator
                    start: 1h
                    duration: 45x
                  - kind: numeric_shift
                    model: fraud-scorer
                    feature: income
                    start: 1h
                    duration: 10m
                    magnitude: 1
                  - kind: numeric_shift
                    model: fraud-scorer
                    feature: card_type
                    start: 1h
                    duration: 10m
                    magnitude: 1
                  - kind: error_spike
                    model: price-estimator
                    start: 1h
                    duration: 10m
                    magnitude: 1.5
                  - kind: traffic_drop
                    model: fraud-scorer
                    segment: planet=mars
                    start: 1h
                    duration: 10m
                    magnitude: 0.1
                  - kind: traffic_drop
                    model: fraud-scorer
                    segment: country=DE
                    start: 1h
                    duration: 10m
                    magnitude: 0.1
                    colour: red
                  - kind: latency_regression
                    model: ticket-router
                    duration: 10m
                    magnitude: 2
                  - kind: new_category
                    model: ticket-router
                    feature: language
                    value: en
                    start: 1h
                    duration: 10m
                    magnitude: 0.2
                  - kind: new_category
                    model: ticket-router
                    feature: language
                    start: 1h
                    duration: 10m
                  - kind: score_shift
                    model: fraud-scorer
                    feature: amount
                    start: 1h
                    duration: 10m
                    magnitude: 1
                  - kind: traffic_drop
                    model: fraud-scorer
                    segment: country=ZZ
                    start: -PT1H
                    duration: 0s
                    magnitude: -1
                  - kind: stuck_feature
                    model: price-estimator
                    feature: rooms
                    value: many
                    start: 1h
                    duration: 10m
                """;
        assertThatThrownBy(() -> Scenario.parse(yaml, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> {
                    List<String> p = ((ScenarioException) e).problems();
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[0].kind:") && m.contains("meltdown"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[1].model:") && m.contains("missing"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[2].duration:") && m.contains("45x"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[3].feature:") && m.contains("income"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[4].feature:") && m.contains("categorical"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[5].magnitude:") && m.contains("1.5"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[6].segment:") && m.contains("planet"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[7].colour:") && m.contains("unknown field"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[8].start:") && m.contains("missing"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[9].value:") && m.contains("already a category"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[10].magnitude:") && m.contains("missing"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[11].feature:") && m.contains("not used"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[12].segment:") && m.contains("ZZ"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[12].start:") && m.contains("negative"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[12].duration:") && m.contains("positive"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[12].magnitude:"));
                    assertThat(p).anyMatch(m -> m.startsWith("incidents[13].value:") && m.contains("not a number"));
                    assertThat(e.getMessage()).contains("bad.yaml").contains("incidents[0].kind");
                });
    }

    @Test
    void rejectsStructuralProblems() {
        assertThatThrownBy(() -> Scenario.parse("incidents: {kind: silence}"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("incidents: must be a list");
        assertThatThrownBy(() -> Scenario.parse("incidents: [42]"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("incidents[0]: must be a mapping");
        assertThatThrownBy(() -> Scenario.parse("name: x\nincidnets: []"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("incidnets: unknown field");
        assertThatThrownBy(() -> Scenario.parse("incidents: [{kind: silence, model: [a]}"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> Scenario.parse("""
                - {id: a, kind: silence, model: fraud-scorer, start: 1h, duration: 1m}
                - {id: a, kind: silence, model: fraud-scorer, start: 2h, duration: 1m}
                """)).isInstanceOf(ScenarioException.class).hasMessageContaining("incidents[1].id");
        assertThat(Scenario.parse("").isEmpty()).isTrue();
        assertThat(Scenario.parse("name: quiet").isEmpty()).isTrue();
    }

    @Test
    void programmaticScenariosAreValidatedToo() {
        Incident ok = new Incident(IncidentKind.LATENCY_REGRESSION, "ticket-router", "channel=chat", null,
                Duration.ofMinutes(5), Duration.ofMinutes(5), 3.0);
        assertThat(Scenario.of(ok).incidents().get(0).id()).isEqualTo("latency_regression-1");
        Incident bad = new Incident(IncidentKind.LATENCY_REGRESSION, "ticket-router", "channel=fax", null,
                Duration.ofMinutes(5), Duration.ofMinutes(5), 0);
        assertThatThrownBy(() -> Scenario.of(ok, bad))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("incidents[1].segment")
                .hasMessageContaining("incidents[1].magnitude");
    }

    @Test
    void incidentActivityAndDescription() {
        Incident i = Scenario.demo().incidents().get(0);
        assertThat(i.activeAt(Duration.ofMinutes(59))).isFalse();
        assertThat(i.activeAt(Duration.ofHours(1))).isTrue();
        assertThat(i.activeAt(Duration.ofMinutes(105))).isFalse();
        assertThat(i.describe()).isEqualTo("de-amount-shift: numeric_shift fraud-scorer country=DE amount +1h..+1h45m magnitude=1.5");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(Durations.parse("45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("PT6H")).isEqualTo(Duration.ofHours(6));
        assertThat(Durations.parse(" 2H ")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("6 hours")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void segmentSelectors() {
        assertThat(SegmentSelector.parse("all").isAll()).isTrue();
        assertThat(SegmentSelector.parse(null)).isEqualTo(SegmentSelector.ALL);
        assertThat(SegmentSelector.parse("country=DE")).isEqualTo(SegmentSelector.of("country", "DE"));
        assertThat(SegmentSelector.parse(" country = DE , channel=web").conditions())
                .containsExactly(java.util.Map.entry("country", "DE"), java.util.Map.entry("channel", "web"));
        assertThatThrownBy(() -> SegmentSelector.parse("country")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentSelector.parse("country=DE,country=FR")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> GeneratorConfig.builder().duration(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GeneratorConfig.builder().badRecordRate(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GeneratorConfig.builder().models("nope").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }
}
