package dev.vigil.pipeline;

import dev.vigil.events.ParserLimits;
import dev.vigil.store.JdbcSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code vigil run} needs besides the monitor spec. {@link #validate()} checks all
 * fields at start and names each bad one by its command-line flag.
 */
public record JobConfig(
        Path specFile,
        String bootstrapServers,
        String inferenceTopic,
        /** Topic of feedback events (user actions and ground truth); null or blank: no feedback is read. */
        String feedbackTopic,
        String deadLetterTopic,
        String alertsTopic,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        WatermarkSettings watermarks,
        ParserLimits parserLimits,
        JdbcSettings database,
        Duration checkpointInterval,
        Integer parallelism)
        implements Serializable {

    /** Where a job without committed offsets starts reading. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** @throws ConfigException listing every invalid field by its flag */
    public JobConfig validate() {
        List<String> problems = new ArrayList<>();
        if (specFile == null) {
            problems.add("--spec: the monitor spec file is required");
        } else if (!specFile.toFile().isFile()) {
            problems.add("--spec: no such file: " + specFile);
        }
        blank(problems, bootstrapServers, "--bootstrap-servers (or VIGIL_KAFKA_BOOTSTRAP_SERVERS): Kafka bootstrap servers are required");
        blank(problems, inferenceTopic, "--inference-topic: must not be empty");
        blank(problems, groupId, "--group-id: must not be empty");
        if (watermarks.maxOutOfOrderness().isNegative()) problems.add("--max-out-of-orderness: must not be negative");
        if (watermarks.idleTimeout().isNegative()) problems.add("--idle-timeout: must not be negative");
        if (parserLimits.maxPayloadBytes() < 256) problems.add("--max-payload-bytes: must be at least 256");
        if (parserLimits.deadLetterPayloadBytes() < 0) problems.add("--dead-letter-payload-bytes: must not be negative");
        if ((parserLimits.maxEventAge().isZero() || parserLimits.maxEventAge().isNegative())) problems.add("--max-event-age: must be positive");
        if (parserLimits.maxClockSkew().isNegative()) problems.add("--max-clock-skew: must not be negative");
        if (database.url() == null || !database.url().startsWith("jdbc:postgresql:")) {
            problems.add("--jdbc-url (or VIGIL_JDBC_URL): a jdbc:postgresql://host:port/database URL is required");
        }
        blank(problems, database.user(), "--db-user (or VIGIL_DB_USER): must not be empty");
        if (database.batchSize() < 1) problems.add("--sink-batch-size: must be at least 1");
        if ((database.flushInterval().isZero() || database.flushInterval().isNegative())) problems.add("--sink-flush-interval: must be positive");
        if (database.maxRetries() < 0) problems.add("--sink-max-retries: must not be negative");
        if (checkpointInterval != null && checkpointInterval.toMillis() < 100) {
            problems.add("--checkpoint-interval: must be at least 100ms");
        }
        if (parallelism != null && parallelism < 1) problems.add("--parallelism: must be at least 1");
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return this;
    }

    private static void blank(List<String> problems, String value, String message) {
        if (value == null || value.isBlank()) problems.add(message);
    }

    /** A configuration that cannot start a job. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(List<String> problems) {
            super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }
}
