package dev.vigil.bench;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.drift.DriftScoreRow;
import dev.vigil.events.DeadLetter;
import dev.vigil.performance.PerformanceMetricRow;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.WindowStatsRow;
import dev.vigil.sink.ResultSinks;
import dev.vigil.traffic.TrafficExpectationRow;
import dev.vigil.usage.UsageStatsRow;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The bench's results: each stream ends in a sink that counts and drops, so no database or broker is measured. */
public final class DiscardingResultSinks implements ResultSinks {
    private final String probeId;

    public DiscardingResultSinks(BenchProbe probe) {
        this.probeId = probe.id();
    }

    @Override
    public void windowStats(DataStream<WindowStatsRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.WINDOW_STATS))
                .name("window_stats (discard)").uid("bench-sink-window-stats");
    }

    @Override
    public void featureStats(DataStream<FeatureStatsRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.FEATURE_STATS))
                .name("feature_stats (discard)").uid("bench-sink-feature-stats");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.DEAD_LETTERS))
                .name("dead letters (discard)").uid("bench-sink-dead-letters");
    }

    @Override
    public void driftScores(DataStream<DriftScoreRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.OTHER))
                .name("drift_scores (discard)").uid("bench-sink-drift-scores");
    }

    @Override
    public void alerts(DataStream<AlertEvent> alerts) {
        alerts.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.OTHER))
                .name("alerts (discard)").uid("bench-sink-alerts");
    }

    @Override
    public void trafficExpectations(DataStream<TrafficExpectationRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.OTHER))
                .name("traffic_expectations (discard)").uid("bench-sink-traffic-expectations");
    }

    @Override
    public void usage(DataStream<UsageStatsRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.OTHER))
                .name("usage_stats (discard)").uid("bench-sink-usage-stats");
    }

    @Override
    public void performance(DataStream<PerformanceMetricRow> rows) {
        rows.sinkTo(new DiscardingSink<>(probeId, DiscardingSink.Kind.OTHER))
                .name("performance_metrics (discard)").uid("bench-sink-performance-metrics");
    }
}
