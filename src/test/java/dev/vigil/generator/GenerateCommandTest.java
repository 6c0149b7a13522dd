package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.GenerateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new GenerateCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesJsonLinesIdenticalToTheApiAndPrintsASummary(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/events.jsonl");
        Run r = run("--output", file.toString(), "--start", "2026-11-25T12:00:00Z", "--duration", "10m",
                "--seed", "7", "--bad-record-rate", "0.002", "--scenario", "demo", "--rate-multiplier", "0.5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(file);

        GeneratorConfig config = GeneratorConfig.builder().seed(7).start(Instant.parse("2026-11-25T12:00:00Z"))
                .duration(Duration.ofMinutes(10)).badRecordRate(0.002).rateMultiplier(0.5).build();
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.demo());
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(expected.get(i).payloadAsString());
        }
        assertThat(r.out()).contains("fraud-scorer", "ticket-router", "price-estimator", "bad records by kind",
                "de-amount-shift", String.format("%,d records", expected.size()));
    }

    @Test
    void writesFeedbackAndHistoryToTheirOwnFile(@TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path feedback = dir.resolve("feedback/feedback.jsonl");
        Run r = run("--output", events.toString(), "--feedback-output", feedback.toString(), "--start", "2026-11-25T12:00:00Z",
                "--duration", "20m", "--history", "10m", "--seed", "7", "--scenario", "demo", "--rate-multiplier", "0.2");
        assertThat(r.exitCode()).as(r.err()).isZero();

        GeneratorConfig config = GeneratorConfig.builder().seed(7).start(Instant.parse("2026-11-25T12:00:00Z"))
                .duration(Duration.ofMinutes(20)).history(Duration.ofMinutes(10)).badRecordRate(0.001)
                .rateMultiplier(0.2).feedback(true).build();
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.demo());
        assertThat(Files.readAllLines(events))
                .isEqualTo(expected.stream().filter(g -> !g.feedback()).map(GeneratedRecord::payloadAsString).toList());
        List<String> feedbackLines = Files.readAllLines(feedback);
        assertThat(feedbackLines).isNotEmpty()
                .isEqualTo(expected.stream().filter(GeneratedRecord::feedback).map(GeneratedRecord::payloadAsString).toList());
        assertThat(r.out()).contains("feedback", "overridden", "clean history until 2026-11-25T12:00:00Z");

        // without a feedback file, no feedback is generated for file output
        Run plain = run("--output", dir.resolve("plain.jsonl").toString(), "--start", "2026-11-25T12:00:00Z",
                "--duration", "5m", "--rate-multiplier", "0.2");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).doesNotContain("overridden");
    }

    @Test
    void helpDescribesTheOptions() {
        Run r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--bootstrap-servers", "--topic", "--duration", "--start", "--seed",
                "--scenario", "--bad-record-rate", "--wall-time", "--rate-multiplier", "--output", "--feedback-topic",
                "--no-feedback", "--feedback-output", "--history");
    }

    @Test
    void invalidScenarioIsAUsageErrorNamingTheEntry(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "incidents:\n  - {kind: silence, model: nope, start: 1h, duration: 5m}\n");
        Run r = run("--output", dir.resolve("x.jsonl").toString(), "--scenario", scenario.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("incidents[0].model");
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) {
        assertThat(run("--output", dir.resolve("x").toString(), "--duration", "soon").exitCode()).isEqualTo(2);
        assertThat(run("--output", dir.resolve("x").toString(), "--start", "yesterday").exitCode()).isEqualTo(2);
        assertThat(run("--output", dir.resolve("x").toString(), "--models", "nope").exitCode()).isEqualTo(2);
        assertThat(run("--output", dir.resolve("x").toString(), "--feedback-topic", " ").exitCode()).isEqualTo(2);
        assertThat(run("--output", dir.resolve("x").toString(), "--history", "-1h").exitCode()).isEqualTo(2);
        assertThat(run("--output", dir.resolve("x").toString(), "--scenario", dir.resolve("missing.yaml").toString())
                .exitCode()).isEqualTo(2);
    }
}
