package dev.vigil.sink;

import static dev.vigil.sink.SqlParams.setDouble;
import static dev.vigil.sink.SqlParams.setTime;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertSinks;
import dev.vigil.drift.DriftScoreRow;
import dev.vigil.events.DeadLetter;
import dev.vigil.performance.PerformanceMetricRow;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.WindowStatsRow;
import dev.vigil.store.JdbcSettings;
import dev.vigil.store.PostgresSink;
import dev.vigil.traffic.TrafficExpectationRow;
import dev.vigil.usage.UsageStatsRow;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes results to PostgreSQL and dead letters to PostgreSQL and Kafka.
 *
 * <p>The JDBC sinks are at-least-once with idempotent upserts on each table's natural key: a
 * replay after a failure rewrites the same rows (STACK.md explains why not XA). They flush on
 * every checkpoint, so a database outage fails the checkpoint and, after the retries, the job;
 * it restarts from the last checkpoint and nothing is lost, only delayed.
 */
public final class MetricsStoreSinks implements ResultSinks {
    static final String[] WINDOW_STATS_COLUMNS = {
        "model", "model_version", "segment", "window_start", "window_end", "events", "errors", "error_rate",
        "fallbacks", "late_events_dropped", "folded_values", "latency_count", "latency_mean_ms", "latency_p50_ms",
        "latency_p90_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms", "score_count", "score_mean",
        "score_p05", "score_p25", "score_p50", "score_p75", "score_p95", "label_counts", "latency_sketch", "score_sketch"
    };
    static final String[] FEATURE_STATS_COLUMNS = {
        "model", "model_version", "segment", "window_start", "window_end", "feature", "feature_type", "count",
        "missing", "type_mismatch", "nan_or_infinite", "out_of_range", "unexpected", "unexpected_share", "min", "max",
        "mean", "p01", "p05", "p25", "p50", "p75", "p95", "p99", "distinct_estimate", "top_values"
    };
    static final String WINDOW_STATS_SQL = SqlParams.upsert("window_stats", WINDOW_STATS_COLUMNS,
            new String[] {"model", "model_version", "segment", "window_start"}, Set.of("label_counts"));
    static final String FEATURE_STATS_SQL = SqlParams.upsert("feature_stats", FEATURE_STATS_COLUMNS,
            new String[] {"model", "model_version", "segment", "window_start", "feature"}, Set.of("top_values"));
    static final String[] DRIFT_SCORES_COLUMNS = {
        "model", "model_version", "segment", "feature", "evaluated_at", "window_start", "reference", "samples",
        "reference_samples", "psi", "js_distance", "ks_distance", "wasserstein", "linf", "chi_square", "chi_square_p",
        "unseen_share", "missing_rate", "reference_missing_rate", "out_of_range_rate", "reference_out_of_range_rate",
        "breached", "explanation"
    };
    static final String DRIFT_SCORES_SQL = SqlParams.upsert("drift_scores", DRIFT_SCORES_COLUMNS,
            new String[] {"model", "model_version", "segment", "feature", "evaluated_at"}, Set.of());
    static final String[] TRAFFIC_EXPECTATIONS_COLUMNS = {
        "model", "segment", "bucket_start", "bucket_end", "observed", "expected", "spread", "deviations", "season",
        "history_seasons", "breached"
    };
    static final String TRAFFIC_EXPECTATIONS_SQL = SqlParams.upsert("traffic_expectations", TRAFFIC_EXPECTATIONS_COLUMNS,
            new String[] {"model", "segment", "bucket_start"}, Set.of());
    static final String[] USAGE_STATS_COLUMNS = {
        "model", "model_version", "segment", "window_start", "window_end", "predictions", "errors", "fallbacks", "feedback",
        "accepted", "overridden", "ignored", "escalated", "acceptance_rate", "override_rate", "ignore_rate", "escalation_rate",
        "fallback_rate"
    };
    static final String USAGE_STATS_SQL = SqlParams.upsert("usage_stats", USAGE_STATS_COLUMNS,
            new String[] {"model", "model_version", "segment", "window_start"}, Set.of());
    static final String[] PERFORMANCE_METRICS_COLUMNS = {
        "model", "model_version", "segment", "window_start", "window_end", "metric", "value", "labels", "predictions"
    };
    static final String PERFORMANCE_METRICS_SQL = SqlParams.upsert("performance_metrics", PERFORMANCE_METRICS_COLUMNS,
            new String[] {"model", "model_version", "segment", "window_start", "metric"}, Set.of());
    static final String DEAD_LETTERS_SQL = "INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, received_at, "
            + "reason, detail, model, payload, payload_bytes, payload_truncated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING";

    private final JdbcSettings db;
    private final String kafkaBootstrapServers;
    private final String deadLetterTopic;
    private final String alertsTopic;

    /**
     * @param deadLetterTopic the Kafka topic for dead letters, or null to write them to the table only
     * @param alertsTopic the Kafka topic for alert events, or null to write them to the table only
     */
    public MetricsStoreSinks(JdbcSettings db, String kafkaBootstrapServers, String deadLetterTopic, String alertsTopic) {
        this.db = db;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.deadLetterTopic = deadLetterTopic;
        this.alertsTopic = alertsTopic;
    }

    @Override
    public void windowStats(DataStream<WindowStatsRow> rows) {
        rows.sinkTo(jdbc(WINDOW_STATS_SQL, MetricsStoreSinks::bindWindowStats)).name("window_stats (PostgreSQL)").uid("sink-window-stats");
    }

    @Override
    public void featureStats(DataStream<FeatureStatsRow> rows) {
        rows.sinkTo(jdbc(FEATURE_STATS_SQL, MetricsStoreSinks::bindFeatureStats)).name("feature_stats (PostgreSQL)").uid("sink-feature-stats");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(jdbc(DEAD_LETTERS_SQL, MetricsStoreSinks::bindDeadLetter)).name("dead_letters (PostgreSQL)").uid("sink-dead-letters-table");
        if (deadLetterTopic != null) {
            deadLetters.sinkTo(KafkaSink.<DeadLetter>builder()
                            .setBootstrapServers(kafkaBootstrapServers)
                            .setRecordSerializer(new DeadLetterSerializer(deadLetterTopic))
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                            .build())
                    .name("dead letters (Kafka " + deadLetterTopic + ")")
                    .uid("sink-dead-letters-topic");
        }
    }

    @Override
    public void driftScores(DataStream<DriftScoreRow> rows) {
        rows.sinkTo(jdbc(DRIFT_SCORES_SQL, MetricsStoreSinks::bindDriftScore)).name("drift_scores (PostgreSQL)").uid("sink-drift-scores");
    }

    @Override
    public void alerts(DataStream<AlertEvent> alerts) {
        AlertSinks.toPostgres(alerts, db);
        if (alertsTopic != null) {
            AlertSinks.toKafka(alerts, kafkaBootstrapServers, alertsTopic);
        }
    }

    @Override
    public void trafficExpectations(DataStream<TrafficExpectationRow> rows) {
        rows.sinkTo(jdbc(TRAFFIC_EXPECTATIONS_SQL, MetricsStoreSinks::bindTrafficExpectation))
                .name("traffic_expectations (PostgreSQL)").uid("sink-traffic-expectations");
    }

    static void bindTrafficExpectation(java.sql.PreparedStatement ps, TrafficExpectationRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.segment);
        setTime(ps, i++, r.bucketStart);
        setTime(ps, i++, r.bucketEnd);
        ps.setLong(i++, r.observed);
        setDouble(ps, i++, r.expected);
        setDouble(ps, i++, r.spread);
        setDouble(ps, i++, r.deviations);
        ps.setString(i++, r.season);
        ps.setInt(i++, r.historySeasons);
        ps.setString(i, r.breached);
    }

    @Override
    public void usage(DataStream<UsageStatsRow> rows) {
        rows.sinkTo(jdbc(USAGE_STATS_SQL, MetricsStoreSinks::bindUsageStats)).name("usage_stats (PostgreSQL)").uid("sink-usage-stats");
    }

    @Override
    public void performance(DataStream<PerformanceMetricRow> rows) {
        rows.sinkTo(jdbc(PERFORMANCE_METRICS_SQL, MetricsStoreSinks::bindPerformanceMetric))
                .name("performance_metrics (PostgreSQL)").uid("sink-performance-metrics");
    }

    static void bindUsageStats(java.sql.PreparedStatement ps, UsageStatsRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.modelVersion);
        ps.setString(i++, r.segment);
        setTime(ps, i++, r.windowStart);
        setTime(ps, i++, r.windowEnd);
        ps.setLong(i++, r.predictions);
        ps.setLong(i++, r.errors);
        ps.setLong(i++, r.fallbacks);
        ps.setLong(i++, r.feedback);
        ps.setLong(i++, r.accepted);
        ps.setLong(i++, r.overridden);
        ps.setLong(i++, r.ignored);
        ps.setLong(i++, r.escalated);
        setDouble(ps, i++, r.acceptanceRate);
        setDouble(ps, i++, r.overrideRate);
        setDouble(ps, i++, r.ignoreRate);
        setDouble(ps, i++, r.escalationRate);
        setDouble(ps, i, r.fallbackRate);
    }

    static void bindPerformanceMetric(java.sql.PreparedStatement ps, PerformanceMetricRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.modelVersion);
        ps.setString(i++, r.segment);
        setTime(ps, i++, r.windowStart);
        setTime(ps, i++, r.windowEnd);
        ps.setString(i++, r.metric);
        ps.setDouble(i++, r.value);
        ps.setLong(i++, r.labels);
        ps.setLong(i, r.predictions);
    }

    static void bindDriftScore(java.sql.PreparedStatement ps, DriftScoreRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.modelVersion);
        ps.setString(i++, r.segment);
        ps.setString(i++, r.feature);
        setTime(ps, i++, r.evaluatedAt);
        setTime(ps, i++, r.windowStart);
        ps.setString(i++, r.reference);
        ps.setLong(i++, r.samples);
        ps.setLong(i++, r.referenceSamples);
        setDouble(ps, i++, r.psi);
        setDouble(ps, i++, r.jsDistance);
        setDouble(ps, i++, r.ksDistance);
        setDouble(ps, i++, r.wasserstein);
        setDouble(ps, i++, r.linf);
        setDouble(ps, i++, r.chiSquare);
        setDouble(ps, i++, r.chiSquareP);
        setDouble(ps, i++, r.unseenShare);
        setDouble(ps, i++, r.missingRate);
        setDouble(ps, i++, r.referenceMissingRate);
        setDouble(ps, i++, r.outOfRangeRate);
        setDouble(ps, i++, r.referenceOutOfRangeRate);
        ps.setString(i++, r.breached);
        ps.setString(i, r.explanation);
    }

    private <T> JdbcSink<T> jdbc(String sql, JdbcStatementBuilder<T> binder) {
        return PostgresSink.upserting(sql, binder, db);
    }

    static void bindWindowStats(java.sql.PreparedStatement ps, WindowStatsRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.modelVersion);
        ps.setString(i++, r.segment);
        setTime(ps, i++, r.windowStart);
        setTime(ps, i++, r.windowEnd);
        ps.setLong(i++, r.events);
        ps.setLong(i++, r.errors);
        setDouble(ps, i++, r.errorRate);
        ps.setLong(i++, r.fallbacks);
        ps.setLong(i++, r.lateEventsDropped);
        ps.setInt(i++, r.foldedValues);
        ps.setLong(i++, r.latencyCount);
        setDouble(ps, i++, r.latencyMeanMs);
        setDouble(ps, i++, r.latencyP50Ms);
        setDouble(ps, i++, r.latencyP90Ms);
        setDouble(ps, i++, r.latencyP95Ms);
        setDouble(ps, i++, r.latencyP99Ms);
        setDouble(ps, i++, r.latencyMaxMs);
        ps.setLong(i++, r.scoreCount);
        setDouble(ps, i++, r.scoreMean);
        setDouble(ps, i++, r.scoreP05);
        setDouble(ps, i++, r.scoreP25);
        setDouble(ps, i++, r.scoreP50);
        setDouble(ps, i++, r.scoreP75);
        setDouble(ps, i++, r.scoreP95);
        ps.setString(i++, r.labelCounts);
        ps.setBytes(i++, r.latencySketch);
        ps.setBytes(i, r.scoreSketch);
    }

    static void bindFeatureStats(java.sql.PreparedStatement ps, FeatureStatsRow r) throws java.sql.SQLException {
        int i = 1;
        ps.setString(i++, r.model);
        ps.setString(i++, r.modelVersion);
        ps.setString(i++, r.segment);
        setTime(ps, i++, r.windowStart);
        setTime(ps, i++, r.windowEnd);
        ps.setString(i++, r.feature);
        ps.setString(i++, r.featureType);
        ps.setLong(i++, r.count);
        ps.setLong(i++, r.missing);
        ps.setLong(i++, r.typeMismatch);
        ps.setLong(i++, r.nanOrInfinite);
        ps.setLong(i++, r.outOfRange);
        ps.setLong(i++, r.unexpected);
        setDouble(ps, i++, r.unexpectedShare);
        setDouble(ps, i++, r.min);
        setDouble(ps, i++, r.max);
        setDouble(ps, i++, r.mean);
        setDouble(ps, i++, r.p01);
        setDouble(ps, i++, r.p05);
        setDouble(ps, i++, r.p25);
        setDouble(ps, i++, r.p50);
        setDouble(ps, i++, r.p75);
        setDouble(ps, i++, r.p95);
        setDouble(ps, i++, r.p99);
        setDouble(ps, i++, r.distinctEstimate);
        ps.setString(i, r.topValues);
    }

    static void bindDeadLetter(java.sql.PreparedStatement ps, DeadLetter d) throws java.sql.SQLException {
        ps.setString(1, d.topic);
        ps.setInt(2, d.partition);
        ps.setLong(3, d.offset);
        setTime(ps, 4, d.receivedAt);
        ps.setString(5, d.reason);
        ps.setString(6, d.detail);
        ps.setString(7, d.model);
        ps.setString(8, d.payload);
        ps.setInt(9, d.payloadBytes);
        ps.setBoolean(10, d.payloadTruncated);
    }
}
