package dev.vigil.sink;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.drift.DriftScoreRow;
import dev.vigil.events.DeadLetter;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.WindowStatsRow;
import dev.vigil.traffic.TrafficExpectationRow;
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
}
