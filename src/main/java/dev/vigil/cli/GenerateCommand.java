package dev.vigil.cli;

import dev.vigil.generator.Durations;
import dev.vigil.generator.GenerationStats;
import dev.vigil.generator.GeneratorConfig;
import dev.vigil.generator.KafkaTrafficWriter;
import dev.vigil.generator.Scenario;
import dev.vigil.generator.ScenarioException;
import dev.vigil.generator.TrafficGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil generate}: synthetic inference traffic and feedback for the demo models, to Kafka or files. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates synthetic inference events for the demo models (fraud-scorer, ticket-router,"
                    + " price-estimator) and their feedback (users' actions, ground truth) and writes them to"
                    + " Kafka topics or JSON-lines files.",
            "The output is deterministic: the same --seed, --start, --duration, rates and scenario"
                    + " give byte-identical records.",
        },
        footer = {
            "",
            "Examples:",
            "  vigil generate --duration 6h --scenario demo --wall-time 60s",
            "  vigil generate --start 2026-11-27T00:00:00Z --duration 1h --output events.jsonl",
            "  vigil generate --duration 6h --history 24h --scenario demo --output events.jsonl --feedback-output feedback.jsonl",
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "inference-logs",
            description = "Kafka topic to write to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--feedback-topic", paramLabel = "TOPIC", defaultValue = KafkaTrafficWriter.DEFAULT_FEEDBACK_TOPIC,
            description = "Kafka topic for feedback events (default: ${DEFAULT-VALUE}).")
    String feedbackTopic;

    @Option(names = "--no-feedback",
            description = "Generate inference events only: no users' actions, no ground truth.")
    boolean noFeedback;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write JSON lines to this file instead of Kafka ('-' for standard output).")
    String output;

    @Option(names = "--feedback-output", paramLabel = "FILE",
            description = "With --output: write feedback events as JSON lines to this file (without it, no feedback"
                    + " is generated for file output).")
    String feedbackOutput;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "6h", converter = DurationConverter.class,
            description = "Simulated duration, e.g. 90m, 6h, 1d (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Simulated start, ISO-8601 (e.g. 2026-11-27T00:00:00Z or 2026-11-27)."
                    + " Default: now minus the duration, floored to the minute.")
    String start;

    @Option(names = "--history", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "Clean traffic (no incidents, no bad records) simulated before the start, so detectors that"
                    + " learn from the past have a history, e.g. 24h (default: none). Scenario offsets count from --start.")
    Duration history;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario YAML with incidents to inject, or 'demo' for the built-in demo scenario."
                    + " Default: no incidents.")
    String scenario;

    @Option(names = "--bad-record-rate", paramLabel = "RATE", defaultValue = "0.001",
            description = "Share of records that are deliberately bad (malformed JSON, missing field, wrong type,"
                    + " implausible timestamp, oversize, unknown model) (default: ${DEFAULT-VALUE}).")
    double badRecordRate;

    @Option(names = "--out-of-order-rate", paramLabel = "RATE", defaultValue = "0.005",
            description = "Share of events that arrive late, out of timestamp order (default: ${DEFAULT-VALUE}).")
    double outOfOrderRate;

    @Option(names = "--max-out-of-order", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How late an out-of-order event can arrive at most (default: ${DEFAULT-VALUE}).")
    Duration maxOutOfOrder;

    @Option(names = "--rate-multiplier", paramLabel = "FACTOR", defaultValue = "1.0",
            description = "Multiplies all traffic rates. At 1.0 a weekday averages 36,000 fraud-scorer,"
                    + " 14,400 ticket-router and 9,600 price-estimator events per simulated hour"
                    + " (default: ${DEFAULT-VALUE}).")
    double rateMultiplier;

    @Option(names = "--models", paramLabel = "MODEL", split = ",",
            description = "Only generate these models (comma-separated). Default: all three.")
    List<String> models;

    @Option(names = "--wall-time", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "Spread the simulated duration over this wall-clock time, e.g. 60s (Kafka only;"
                    + " event times are not changed). Default: as fast as possible.")
    Duration wallTime;

    @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "lz4",
            description = "Producer compression: lz4, none, snappy, zstd or gzip (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--key", paramLabel = "MODE", defaultValue = "none",
            description = "Kafka record key: none, model or request-id (default: ${DEFAULT-VALUE}).")
    String keyMode;

    @Option(names = "--kafka-timestamp", paramLabel = "MODE", defaultValue = "wall",
            description = "Kafka record timestamp: wall (send time) or event (simulated event time)"
                    + " (default: ${DEFAULT-VALUE}). The job reads event time from the payload.")
    String kafkaTimestamp;

    @Option(names = {"-X", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property (repeatable), e.g. -X security.protocol=SSL.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = {"-q", "--quiet"}, description = "No progress output; only the summary.")
    boolean quiet;

    /** For tests: the clock behind the default start. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (feedbackTopic == null || feedbackTopic.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--feedback-topic: must not be empty (use --no-feedback)");
        }
        GeneratorConfig config = buildConfig();
        Scenario sc = loadScenario();
        TrafficGenerator generator = new TrafficGenerator(config, sc);
        boolean toStdout = "-".equals(output);
        PrintWriter report = toStdout ? err : out;
        report.printf(Locale.ROOT, "generating %s of traffic from %s (seed %d, scenario %s) to %s%n",
                Durations.format(config.duration()), config.start(), config.seed(), sc.name(),
                output != null ? (toStdout ? "standard output" : output)
                        + (config.feedback() ? ", feedback to " + feedbackOutput : "")
                        : "kafka " + bootstrapServers + " topic " + topic
                                + (config.feedback() ? ", feedback to topic " + feedbackTopic : ""));
        report.flush();

        long t0 = System.nanoTime();
        GenerationStats stats;
        if (output != null) {
            if (!wallTime.isZero()) {
                err.println("note: --wall-time applies to Kafka only; writing the file as fast as possible");
            }
            try (OutputStream feedback = config.feedback() ? Files.newOutputStream(createParents(Path.of(feedbackOutput))) : null) {
                if (toStdout) {
                    stats = generator.writeJsonLines(System.out, feedback);
                } else {
                    try (OutputStream os = Files.newOutputStream(createParents(Path.of(output)))) {
                        stats = generator.writeJsonLines(os, feedback);
                    }
                }
            }
        } else {
            stats = writeToKafka(generator, err);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        report.print(stats.summary());
        report.printf(Locale.ROOT, "done in %.1f s (%,.0f records/s)%n", secs, stats.records() / Math.max(secs, 1e-9));
        report.flush();
        return 0;
    }

    private static Path createParents(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        return file;
    }

    private GenerationStats writeToKafka(TrafficGenerator generator, PrintWriter err) throws InterruptedException {
        KafkaTrafficWriter.Options options = KafkaTrafficWriter.Options.defaults()
                .feedbackTopic(feedbackTopic)
                .compression(compression)
                .keyMode(parseKeyMode())
                .timestampMode(parseTimestampMode())
                .wallTime(wallTime.isZero() ? null : wallTime)
                .progressInterval(Duration.ofSeconds(5));
        producerProperties.forEach(options::producerProperty);
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(bootstrapServers, topic, options)) {
            Thread hook = new Thread(writer::cancel, "vigil-generate-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return writer.write(generator, quiet ? null : p -> {
                    err.printf(Locale.ROOT, "  %,d records sent, simulated time %s (%.0f%%)%n", p.recordsSent(),
                            Instant.ofEpochMilli(p.simulatedTimeMillis()).truncatedTo(ChronoUnit.SECONDS),
                            p.fraction() * 100);
                    err.flush();
                });
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook has cancelled the write
                }
            }
        }
    }

    GeneratorConfig buildConfig() {
        GeneratorConfig.Builder b = GeneratorConfig.builder()
                .seed(seed)
                .duration(duration)
                .clock(clock)
                .rateMultiplier(rateMultiplier)
                .badRecordRate(badRecordRate)
                .outOfOrderRate(outOfOrderRate)
                .maxOutOfOrderDelay(maxOutOfOrder)
                .history(history)
                .feedback(!noFeedback && (output == null || feedbackOutput != null));
        if (start != null) {
            b.start(parseStart(start));
        }
        if (models != null && !models.isEmpty()) {
            b.models(models.stream().map(String::trim).toList());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Instant parseStart(String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--start: '" + text + "' is not an ISO-8601 instant (e.g. 2026-11-27T00:00:00Z)");
        }
    }

    private Scenario loadScenario() throws IOException {
        if (scenario == null || scenario.isBlank() || scenario.equals("none")) {
            return Scenario.empty();
        }
        try {
            if (scenario.equals("demo")) {
                return Scenario.demo();
            }
            return Scenario.load(Path.of(scenario));
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: no such file " + scenario);
        } catch (ScenarioException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private KafkaTrafficWriter.KeyMode parseKeyMode() {
        return switch (keyMode.toLowerCase(Locale.ROOT)) {
            case "none" -> KafkaTrafficWriter.KeyMode.NONE;
            case "model" -> KafkaTrafficWriter.KeyMode.MODEL;
            case "request-id", "request_id" -> KafkaTrafficWriter.KeyMode.REQUEST_ID;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--key: expected none, model or request-id, got '" + keyMode + "'");
        };
    }

    private KafkaTrafficWriter.TimestampMode parseTimestampMode() {
        return switch (kafkaTimestamp.toLowerCase(Locale.ROOT)) {
            case "wall" -> KafkaTrafficWriter.TimestampMode.WALL_CLOCK;
            case "event" -> KafkaTrafficWriter.TimestampMode.EVENT_TIME;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kafka-timestamp: expected wall or event, got '" + kafkaTimestamp + "'");
        };
    }

    /** Parses durations such as 90s, 45m, 6h, 1h30m. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
