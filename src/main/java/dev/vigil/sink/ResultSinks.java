package dev.vigil.sink;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.drift.DriftScoreRow;
import dev.vigil.events.DeadLetter;
import dev.vigil.performance.PerformanceMetricRow;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.WindowStatsRow;
import dev.vigil.traffic.TrafficExpectationRow;
import dev.vigil.usage.UsageStatsRow;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the pipeline's results go. Production writes PostgreSQL and Kafka; tests may add their own. */
public interface ResultSinks {
    void windowStats(DataStream<WindowStatsRow> rows);

    void featureStats(DataStream<FeatureStatsRow> rows);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    void driftScores(DataStream<DriftScoreRow> rows);

    void alerts(DataStream<AlertEvent> alerts);

    /** Observed and expected traffic per bucket, model and segment ({@code traffic_expectations}). */
    void trafficExpectations(DataStream<TrafficExpectationRow> rows);
    /** Usage and adoption per prediction-time window and segment; rows repeat their natural key when late feedback updates them. */
    void usage(DataStream<UsageStatsRow> rows);

    /** Performance metrics per prediction-time window, segment and metric; rows repeat their natural key when late labels update them. */
    void performance(DataStream<PerformanceMetricRow> rows);
}
