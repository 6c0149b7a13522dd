package dev.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end: its summary, read back from PostgreSQL, matches the traffic it generated. */
class DemoIT {
    @Test
    void summaryMatchesTheGeneratedTraffic(@TempDir Path work) throws Exception {
        Path summaryFile = work.resolve("summary.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoRun.Result result = new DemoRun(new DemoRun.Options(Duration.ofMinutes(40), Duration.ofSeconds(5), 7, null, 0.002,
                false, summaryFile, 0, 2, work, Duration.ofMinutes(20)), new PrintStream(console, true, StandardCharsets.UTF_8)).run();

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
                .contains("psql -h localhost");

        JsonNode json = new ObjectMapper().readTree(summaryFile.toFile());
        assertThat(json.get("models")).hasSize(result.generated().eventsByModel().size());
        JsonNode first = json.get("models").get(0);
        assertThat(first.has("model") && first.has("events") && first.has("error_rate") && first.has("latency_p99_ms")
                && first.has("dead_letters")).isTrue();
        assertThat(json.get("incidents").isArray()).isTrue();
        assertThat(json.get("unmatched_alerts").isArray()).isTrue();
    }
}
