package dev.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.generator.GenerationStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end: its summary, read back from PostgreSQL, matches the traffic it generated
 * (the clean history included), reports the feedback it sent, and lists every injected incident.
 */
class DemoIT {
    private static final Duration HISTORY = Duration.ofMinutes(20);

    @Test
    void summaryMatchesTheGeneratedTraffic(@TempDir Path work) throws Exception {
        Path summaryFile = work.resolve("summary.json");
        Path scenario = work.resolve("scenario.yaml");
        Files.writeString(scenario, """
                incidents:
                  - {id: overrides, kind: override_rise, model: ticket-router, segment: channel=chat, start: 10m, duration: 20m, magnitude: 0.4}
                  - {id: concept, kind: concept_drift, model: fraud-scorer, start: 10m, duration: 20m, magnitude: 0.8}
                  - {id: latency, kind: latency_regression, model: price-estimator, segment: region=north, start: 15m, duration: 10m, magnitude: 5}
                """);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoRun.Result result = new DemoRun(new DemoRun.Options(Duration.ofMinutes(40), Duration.ofSeconds(5), 7, scenario, 0.002,
                false, summaryFile, 0, 2, work, HISTORY), new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        GenerationStats generated = result.generated();
        assertThat(generated.simulatedStart()).isEqualTo(generated.scenarioStart().minus(HISTORY));

        Map<String, Long> profiled = result.summary().models().stream()
                .collect(Collectors.toMap(DemoSummary.ModelSummary::model, DemoSummary.ModelSummary::events));
        assertThat(profiled).isEqualTo(result.generated().eventsByModel());
        for (DemoSummary.ModelSummary m : result.summary().models()) {
            double expected = (double) result.generated().errors(m.model()) / result.generated().events(m.model());
            assertThat(m.errorRate()).as(m.model() + " error rate").isCloseTo(expected, within(1e-12));
            assertThat(m.latencyP99Ms()).as(m.model() + " latency p99").isPositive();
        }
        long deadLetters = result.summary().models().stream().mapToLong(DemoSummary.ModelSummary::deadLetters).sum()
                + result.summary().deadLettersWithoutModel();
        assertThat(deadLetters).isEqualTo(result.generated().badRecords()).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("every event is counted in the stored profiles")
                .contains("Streaming 20m of clean history")
                .contains("Feedback sent to topic feedback (" + String.format("%,d", generated.feedbackEvents()) + " events")
                .contains("psql -h localhost");

        // feedback: every model got actions and ground truth, and the summary reports what was sent
        assertThat(result.summary().feedback()).isEqualTo(generated.feedbackByModel());
        for (String model : generated.eventsByModel().keySet()) {
            assertThat(generated.actions(model)).as(model + " actions").isPositive();
            assertThat(generated.feedback(model, GenerationStats.LABEL)).as(model + " labels").isPositive();
        }
        assertThat(generated.feedback("ticket-router", "overridden")).isPositive();

        // every incident is listed with its injection time, counted from the scenario start, not the history
        assertThat(result.summary().incidents()).extracting(i -> i.get("id")).containsExactly("overrides", "concept", "latency");
        for (Map<String, Object> i : result.summary().incidents()) {
            Duration offset = i.get("id").equals("latency") ? Duration.ofMinutes(15) : Duration.ofMinutes(10);
            assertThat(i.get("injected_at")).isEqualTo(generated.scenarioStart().plus(offset).toString());
            if (i.get("detected_at") != null) {
                assertThat(Instant.parse((String) i.get("detected_at"))).isAfterOrEqualTo(generated.scenarioStart().plus(offset));
            }
        }

        JsonNode json = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(json.get("models")).hasSize(result.generated().eventsByModel().size());
        JsonNode first = json.get("models").get(0);
        assertThat(first.has("model") && first.has("events") && first.has("error_rate") && first.has("latency_p99_ms")
                && first.has("dead_letters")).isTrue();
        assertThat(json.get("incidents").isArray()).isTrue();
        assertThat(json.get("unmatched_alerts").isArray()).isTrue();
        assertThat(json.get("incidents")).hasSize(3);
        assertThat(json.get("feedback").get("fraud-scorer").get("label").asLong())
                .isEqualTo(generated.feedback("fraud-scorer", GenerationStats.LABEL));
    }
}
