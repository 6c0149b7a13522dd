package dev.vigil.demo;

import dev.vigil.baseline.BaselineJob;
import dev.vigil.baseline.ReferenceDataFormat;
import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import dev.vigil.events.ParserLimits;
import dev.vigil.generator.GenerationStats;
import dev.vigil.generator.GeneratorConfig;
import dev.vigil.generator.KafkaTrafficWriter;
import dev.vigil.generator.Scenario;
import dev.vigil.generator.TrafficGenerator;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.store.MetricsStore;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The whole system in one process: embedded PostgreSQL and Kafka, the Vigil job on a local Flink
 * cluster, and the traffic generator replaying simulated hours of inference logs and their
 * feedback (users' actions, ground truth) in about a minute. A day of clean history is streamed
 * first, as fast as possible, so detectors that learn from the past have a daily baseline; the
 * scenario's incidents follow. When the traffic is consumed, the job is stopped with a draining
 * savepoint (as an operator would stop it), which closes the last windows, and the summary is
 * read back from PostgreSQL.
 */
public final class DemoRun {
    public static final String INFERENCE_TOPIC = "inference-logs";
    public static final String FEEDBACK_TOPIC = KafkaTrafficWriter.DEFAULT_FEEDBACK_TOPIC;
    /** The clean history streamed before the scenario by default. */
    public static final Duration DEFAULT_HISTORY = Duration.ofDays(1);
    public static final String DEAD_LETTER_TOPIC = "vigil-dead-letters";
    public static final String ALERTS_TOPIC = "vigil-alerts";
    static final String GROUP_ID = "vigil-demo";
    /** The baseline the demo spec's drift sections name. */
    public static final String BASELINE = "demo-baseline";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /**
     * What the demo runs; see {@code vigil demo --help}.
     *
     * @param duration the scenario's simulated duration
     * @param history clean traffic simulated before the scenario (no incidents, no bad records)
     */
    public record Options(Duration duration, Duration wallTime, long seed, Path scenario, double badRecordRate,
                          boolean keepRunning, Path summaryFile, int dbPort, int parallelism, Path workDir,
                          Duration history) {}

    /** What the demo generated and what it read back. */
    public record Result(DemoSummary summary, GenerationStats generated) {}

    private final Options options;
    private final PrintStream out;

    public DemoRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        Path work = options.workDir() != null ? Files.createDirectories(options.workDir()) : Files.createTempDirectory("vigil-demo");
        out.println("Starting PostgreSQL, Kafka and a local Flink cluster (work directory " + work + ") ...");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(options.dbPort(), null);
             EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(INFERENCE_TOPIC, 2);
            kafka.createTopic(FEEDBACK_TOPIC, 2);
            kafka.createTopic(DEAD_LETTER_TOPIC, 1);
            kafka.createTopic(ALERTS_TOPIC, 1);
            JdbcSettings db = new JdbcSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 1000,
                    Duration.ofSeconds(1), JdbcSettings.DEFAULT_MAX_RETRIES);
            MetricsStore.migrate(db);

            Path specFile = work.resolve("monitor-spec.yaml");
            try (InputStream in = DemoRun.class.getResourceAsStream("/demo/monitor-spec.yaml")) {
                Files.copy(in, specFile, StandardCopyOption.REPLACE_EXISTING);
            }
            MonitorSpec spec = MonitorSpecLoader.load(specFile);
            JobConfig config = new JobConfig(specFile, kafka.bootstrapServers(), INFERENCE_TOPIC, FEEDBACK_TOPIC, DEAD_LETTER_TOPIC,
                    ALERTS_TOPIC, GROUP_ID, JobConfig.StartingOffsets.EARLIEST, false,
                    new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                    new ParserLimits(64 * 1024, 4096, options.duration().plus(options.history()).plusDays(1), Duration.ofMinutes(5)),
                    db, Duration.ofSeconds(2), options.parallelism()).validate();

            GeneratorConfig generatorConfig = GeneratorConfig.builder()
                    .seed(options.seed())
                    .duration(options.duration())
                    .badRecordRate(options.badRecordRate())
                    .history(options.history())
                    .historyFeedback(options.history()) // users act and labels arrive in the history too: label coverage is judged there
                    .feedback(true)
                    .build();
            buildBaseline(spec, generatorConfig, work, db);

            Configuration flink = new Configuration();
            flink.set(RestOptions.BIND_PORT, "8081-8099");
            // Drift keeps an hour of window profiles per segment: more than the JobManager's in-memory checkpoints allow.
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            VigilJob.define(env, config, spec);
            JobClient job = env.executeAsync("vigil demo");
            out.println("Vigil job started (parallelism " + options.parallelism() + ").");

            Scenario scenario = options.scenario() == null ? Scenario.demo() : Scenario.load(options.scenario());
            TrafficGenerator generator = new TrafficGenerator(generatorConfig, scenario);
            if (!options.history().isZero()) {
                out.printf("Streaming %s of clean history with its feedback (from %s UTC) as fast as possible, then ...%n",
                        human(options.history()), CLOCK.format(generatorConfig.simulationStart()));
            }
            out.printf("Streaming %s of simulated traffic with incidents and feedback (%s to %s UTC, seed %d) in about %s ...%n",
                    human(options.duration()), CLOCK.format(generatorConfig.start()), CLOCK.format(generatorConfig.end()),
                    options.seed(), human(options.wallTime()));
            long scenarioStart = generatorConfig.start().toEpochMilli();
            GenerationStats generated;
            try (KafkaTrafficWriter writer = new KafkaTrafficWriter(kafka.bootstrapServers(), INFERENCE_TOPIC,
                    KafkaTrafficWriter.Options.defaults().feedbackTopic(FEEDBACK_TOPIC).wallTime(options.wallTime())
                            .progressInterval(Duration.ofSeconds(3)))) {
                generated = writer.write(generator, p -> out.printf("  [%s] simulated %s UTC | %,10d records sent | %,8d window rows stored%n",
                        p.simulatedTimeMillis() < scenarioStart ? "history" : String.format("%6.0f%%", 100 * p.fraction()),
                        CLOCK.format(Instant.ofEpochMilli(p.simulatedTimeMillis())), p.recordsSent(), storedRows(db)));
            }

            out.println("All traffic sent; waiting for the job to consume it ...");
            awaitConsumed(kafka.bootstrapServers(), Duration.ofMinutes(15));
            out.println("Stopping the job with a draining savepoint, which closes the last windows ...");
            job.stopWithSavepoint(true, work.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(5, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

            DemoSummary summary = IncidentReport.withIncidents(DemoSummary.read(db.url(), db.user(), db.password()),
                    generated.incidents(), generatorConfig.start(), IncidentReport.alerts(db.url(), db.user(), db.password()))
                    .withFeedback(generated.feedbackByModel());
            report(summary, generated, postgres);
            if (options.summaryFile() != null) {
                summary.writeJson(options.summaryFile());
                out.println("Summary written to " + options.summaryFile());
            }
            if (options.keepRunning()) {
                out.println();
                out.println("Kafka and PostgreSQL stay up to explore (Ctrl-C stops them):");
                out.println("  Kafka bootstrap servers: " + kafka.bootstrapServers());
                out.println("  PostgreSQL:              " + postgres.psqlCommand());
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            return new Result(summary, generated);
        }
    }

    /**
     * The drift reference: the same span of clean traffic one day earlier (another seed, no
     * incidents), profiled by the baseline job as a user would profile training data.
     */
    private void buildBaseline(MonitorSpec spec, GeneratorConfig live, Path work, JdbcSettings db) throws Exception {
        GeneratorConfig clean = live.toBuilder()
                .seed(live.seed() + 1)
                .start(live.start().minus(Duration.ofDays(1)))
                .history(Duration.ZERO)
                .historyFeedback(Duration.ZERO)
                .feedback(false)
                .badRecordRate(0)
                .build();
        Path data = Files.createDirectories(work.resolve("reference")).resolve("clean-traffic.jsonl");
        try (var file = new java.io.BufferedOutputStream(Files.newOutputStream(data))) {
            new TrafficGenerator(clean, Scenario.empty()).writeJsonLines(file);
        }
        out.println("Building the drift baseline '" + BASELINE + "' from " + human(options.duration())
                + " of clean traffic of the day before (vigil baseline, a batch job) ...");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(options.parallelism());
        BaselineJob.define(env, spec, new BaselineJob.Settings(BASELINE, null, "reference", java.util.List.of(data.toString()),
                ReferenceDataFormat.Kind.JSONL, db));
        env.execute("vigil baseline " + BASELINE);
    }

    private void report(DemoSummary summary, GenerationStats generated, EmbeddedPostgres postgres) {
        out.println();
        out.println("Vigil profiled the simulated traffic; per model, read back from PostgreSQL:");
        out.println();
        out.print(summary.table());
        out.println();
        Map<String, Long> stored = summary.models().stream()
                .collect(Collectors.toMap(DemoSummary.ModelSummary::model, DemoSummary.ModelSummary::events));
        boolean match = generated.eventsByModel().entrySet().stream()
                .allMatch(e -> e.getValue().equals(stored.getOrDefault(e.getKey(), 0L)));
        out.printf("Generated %,d events and %,d bad records: %s%n", generated.events(), generated.badRecords(),
                match ? "every event is counted in the stored profiles." : "MISMATCH with the stored profiles: " + generated.eventsByModel());
        if (!summary.feedback().isEmpty()) {
            out.println();
            out.printf("Feedback sent to topic %s (%,d events; %,d ground-truth labels carry a timestamp before their prediction's):%n",
                    FEEDBACK_TOPIC, generated.feedbackEvents(),
                    generated.labelsBeforePrediction().values().stream().mapToLong(Long::longValue).sum());
            out.print(summary.feedbackTable());
        }
        out.println();
        out.println("Injected incidents and when Vigil detected them (event time"
                + (options.history().isZero() ? "" : "; the " + human(options.history()) + " before the first were clean history") + "):");
        for (Map<String, Object> i : summary.incidents()) {
            out.printf("  %-20s %-19s %-16s %-15s %-18s injected %s  %s%n", i.get("id"), i.get("kind"), i.get("model"),
                    i.get("segment"), i.get("feature") == null ? "" : i.get("feature"), shortTime(i.get("injected_at")),
                    i.get("detected_at") == null ? "not detected" : "detected " + shortTime(i.get("detected_at"))
                            + " (+" + i.get("delay_seconds") + " s)");
        }
        out.printf("Alerts that matched no incident: %d%n", summary.unmatchedAlerts().size());
        for (Map<String, Object> a : summary.unmatchedAlerts()) {
            out.printf("  %s %s %s %s at %s: %s%n", a.get("model"), a.get("segment"), a.get("feature"), a.get("kind"),
                    shortTime(a.get("fired_at")), a.get("explanation"));
        }
        out.println();
        out.println("Explore the results in SQL (window_stats, feature_stats, drift_scores, alerts, traffic_expectations, usage_stats, performance_metrics, dead_letters; docs/metrics-store.md):");
        out.println("  " + postgres.psqlCommand() + (options.keepRunning() ? "" : "   (add --keep-running to keep it up)"));
    }

    private static long storedRows(JdbcSettings db) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM window_stats")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Waits until the job's committed offsets (committed on each checkpoint) reach the end of the
     * inference topic, and of the feedback topic once the job has committed offsets there (a job
     * whose spec reads no feedback never does).
     */
    private void awaitConsumed(String bootstrapServers, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(INFERENCE_TOPIC, FEEDBACK_TOPIC)).allTopicNames().get()
                    .values().stream().flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP_ID).partitionsToOffsetAndMetadata().get();
                boolean readsFeedback = committed.keySet().stream().anyMatch(tp -> tp.topic().equals(FEEDBACK_TOPIC));
                boolean done = end.entrySet().stream()
                        .filter(e -> readsFeedback || !e.getKey().topic().equals(FEEDBACK_TOPIC))
                        .allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue()));
                if (done) return;
                Thread.sleep(500);
            }
            out.println("The job did not catch up within " + human(timeout) + "; stopping it anyway.");
        }
    }

    private static String shortTime(Object isoInstant) {
        return CLOCK.format(Instant.parse((String) isoInstant));
    }

    static String human(Duration d) {
        if (d.toHours() > 0 && d.toMinutesPart() == 0) return d.toHours() + "h";
        if (d.toMinutes() > 0 && d.toSecondsPart() == 0) return d.toMinutes() + "m";
        return d.toSeconds() + "s";
    }
}
