package dev.vigil.cli;

import dev.vigil.events.ParserLimits;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The monitoring job. Submitted to a cluster with {@code flink run vigil.jar run ...}, it runs
 * there; started by the {@code vigil} launcher, it runs on a local Flink cluster in this JVM.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the monitoring job: Kafka inference logs in, profiles and dead letters to PostgreSQL.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "Monitor spec (YAML), see docs/monitor-spec.md.")
    Path spec;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:VIGIL_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env VIGIL_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--inference-topic", defaultValue = "inference-logs", description = "Topic of inference events (default ${DEFAULT-VALUE}).")
    String inferenceTopic;

    @Option(names = "--feedback-topic", defaultValue = "feedback",
            description = "Topic of feedback events: user actions and ground truth (default ${DEFAULT-VALUE}; empty: none).")
    String feedbackTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "vigil-dead-letters", description = "Topic for dead letters (default ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--alerts-topic", defaultValue = "vigil-alerts", description = "Topic for alert events (default ${DEFAULT-VALUE}).")
    String alertsTopic;

    @Option(names = "--group-id", defaultValue = "vigil", description = "Kafka consumer group (default ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--starting-offsets", defaultValue = "COMMITTED",
            description = "Where to start without a checkpoint: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, earliest when none committed).")
    JobConfig.StartingOffsets startingOffsets;

    @Option(names = "--bounded", description = "Stop at the offsets that are the latest when the job starts (backfills).")
    boolean bounded;

    @Option(names = "--max-out-of-orderness", defaultValue = "10s", converter = DurationConverter.class,
            description = "How far event time may go backwards within a partition (default ${DEFAULT-VALUE}).")
    Duration maxOutOfOrderness;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "A partition silent this long stops holding the watermark back; 0s disables (default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-payload-bytes", defaultValue = "65536", description = "Larger records are dead-lettered (default ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    @Option(names = "--dead-letter-payload-bytes", defaultValue = "4096", description = "Payload bytes kept per dead letter (default ${DEFAULT-VALUE}).")
    int deadLetterPayloadBytes;

    @Option(names = "--max-event-age", defaultValue = "7d", converter = DurationConverter.class,
            description = "Older event timestamps are implausible (default ${DEFAULT-VALUE}).")
    Duration maxEventAge;

    @Option(names = "--max-clock-skew", defaultValue = "5m", converter = DurationConverter.class,
            description = "Timestamps further in the future are implausible (default ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Mixin DatabaseOptions database;

    @Option(names = "--checkpoint-interval", converter = DurationConverter.class,
            description = "Checkpoint interval; default: the cluster's execution.checkpointing.interval, else 30s.")
    Duration checkpointInterval;

    @Option(names = "--parallelism", description = "Job parallelism; default: the cluster's.")
    Integer parallelism;

    JobConfig config() {
        return new JobConfig(spec, bootstrapServers, inferenceTopic, feedbackTopic, deadLetterTopic, alertsTopic, groupId, startingOffsets, bounded,
                new WatermarkSettings(maxOutOfOrderness, idleTimeout),
                new ParserLimits(maxPayloadBytes, deadLetterPayloadBytes, maxEventAge, maxClockSkew),
                database.settings(), checkpointInterval, parallelism).validate();
    }

    @Override
    public Integer call() throws Exception {
        JobConfig config = config();
        MonitorSpec monitorSpec = MonitorSpecLoader.load(config.specFile());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, config, monitorSpec);
        env.execute(VigilJob.JOB_NAME);
        return 0;
    }
}
