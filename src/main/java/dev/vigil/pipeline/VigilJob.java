package dev.vigil.pipeline;

import dev.vigil.drift.JdbcReferenceStore;
import dev.vigil.events.FeedbackEventParser;
import dev.vigil.events.FeedbackRecordDeserializer;
import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.InferenceRecordDeserializer;
import dev.vigil.events.ParsedFeedback;
import dev.vigil.events.ParsedRecord;
import dev.vigil.feedback.Outcome;
import dev.vigil.sink.MetricsStoreSinks;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the production job from a {@link JobConfig}: Kafka in, PostgreSQL and Kafka out. */
public final class VigilJob {
    public static final String JOB_NAME = "vigil";

    private VigilJob() {}

    /** Settings every Vigil job needs regardless of where it runs. */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        Configuration settings = new Configuration();
        // Types that flow between operators are POJOs or have explicit serializers; fail fast instead of falling back to Kryo.
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        // Records are never mutated after emission; reuse saves a copy per event between chained operators.
        settings.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(settings);
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            // Without a checkpoint directory Flink keeps checkpoints in the JobManager's memory (5 MB),
            // which the merge and drift state outgrow; a cluster sets execution.checkpointing.dir.
            Configuration storage = new Configuration();
            storage.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            storage.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "vigil-checkpoints").toUri().toString());
            env.configure(storage);
        }
        if (config.parallelism() != null) env.setParallelism(config.parallelism());
        if (config.checkpointInterval() != null) {
            env.enableCheckpointing(config.checkpointInterval().toMillis());
        } else if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(30_000);
        }
    }

    public static KafkaSource<ParsedRecord> inferenceSource(JobConfig config, MonitorSpec spec) {
        return inferenceSource(config, spec, config.bounded() ? OffsetsInitializer.latest() : null);
    }

    /** The source with explicit stopping offsets ({@code null}: unbounded). */
    public static KafkaSource<ParsedRecord> inferenceSource(JobConfig config, MonitorSpec spec, OffsetsInitializer stoppingOffsets) {
        return kafkaSource(config, config.inferenceTopic(),
                new InferenceRecordDeserializer(new InferenceEventParser(spec, config.parserLimits())), stoppingOffsets);
    }

    /**
     * The feedback topic's source, with the inference source's Kafka settings and parser limits;
     * null when no feedback topic is configured or no model of the spec has a {@code feedback:} section.
     */
    public static KafkaSource<ParsedFeedback> feedbackSource(JobConfig config, MonitorSpec spec) {
        if (config.feedbackTopic() == null || config.feedbackTopic().isBlank()
                || spec.models().stream().noneMatch(m -> m.feedback() != null)) {
            return null;
        }
        return kafkaSource(config, config.feedbackTopic(),
                new FeedbackRecordDeserializer(new FeedbackEventParser(spec, config.parserLimits())),
                config.bounded() ? OffsetsInitializer.latest() : null);
    }

    private static <T> KafkaSource<T> kafkaSource(JobConfig config, String topic, KafkaRecordDeserializationSchema<T> records,
                                                  OffsetsInitializer stoppingOffsets) {
        KafkaSourceBuilder<T> builder = KafkaSource.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.groupId())
                .setStartingOffsets(switch (config.startingOffsets()) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                })
                .setDeserializer(records)
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (stoppingOffsets != null) builder.setBounded(stoppingOffsets);
        return builder.build();
    }

    /**
     * Defines the job on {@code env} with the production sources and sinks.
     *
     * @return the feedback joined to predictions ({@link VigilPipeline#define}), or null without feedback
     */
    public static DataStream<Outcome> define(StreamExecutionEnvironment env, JobConfig config, MonitorSpec spec) {
        return define(env, config, spec, inferenceSource(config, spec));
    }

    public static DataStream<Outcome> define(StreamExecutionEnvironment env, JobConfig config, MonitorSpec spec,
                                             KafkaSource<ParsedRecord> source) {
        configure(env, config);
        return VigilPipeline.define(env, source, feedbackSource(config, spec), spec, config.watermarks(), new JdbcReferenceStore(config.database()),
                new MetricsStoreSinks(config.database(), config.bootstrapServers(), config.deadLetterTopic(), config.alertsTopic()));
    }
}
