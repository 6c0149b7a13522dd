package dev.vigil.pipeline;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.AlertLifecycle;
import dev.vigil.alerts.Evaluation;
import dev.vigil.drift.DriftEvaluator;
import dev.vigil.drift.DriftScoreRow;
import dev.vigil.drift.ReferenceStore;
import dev.vigil.events.DeadLetter;
import dev.vigil.events.DeadLetterRouter;
import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.InferenceEvent;
import dev.vigil.events.ParsedFeedback;
import dev.vigil.events.ParsedRecord;
import dev.vigil.health.WindowChecks;
import dev.vigil.feedback.FeedbackJoin;
import dev.vigil.feedback.Outcome;
import dev.vigil.feedback.RouteFeedback;
import dev.vigil.feedback.OutcomeFanOut;
import dev.vigil.feedback.SamplePredictions;
import dev.vigil.feedback.SegmentOutcome;
import dev.vigil.performance.OutcomeAggregator;
import dev.vigil.performance.PerformanceMetricRow;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.ProfileAccumulator;
import dev.vigil.profile.ProfileMerger;
import dev.vigil.profile.ProfileUpdate;
import dev.vigil.profile.WindowStatsRow;
import dev.vigil.sink.ResultSinks;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.traffic.ModelActivity;
import dev.vigil.traffic.SilenceDetector;
import dev.vigil.traffic.TrafficAnomalyDetector;
import dev.vigil.traffic.TrafficExpectationRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The whole Vigil pipeline, top to bottom. {@code vigil run}, the demo and the tests all build it here. */
public final class VigilPipeline {
    private VigilPipeline() {}

    /**
     * @param feedback the feedback events (user actions, ground truth), or null when none are read
     * @return the feedback joined to predictions, or null without feedback; tests check the join through it
     */
    public static DataStream<Outcome> define(
            StreamExecutionEnvironment env,
            Source<ParsedRecord, ?, ?> inferenceLogs,
            Source<ParsedFeedback, ?, ?> feedback,
            MonitorSpec spec,
            WatermarkSettings watermarks,
            ReferenceStore references,
            ResultSinks sinks) {

        // 1. Read and parse inference logs; event time and watermarks per Kafka partition.
        DataStream<ParsedRecord> records = env
                .fromSource(inferenceLogs, watermarks.strategy(), "inference logs (Kafka)")
                .uid("source-inference-logs");

        // 2. Bad records leave here for the dead-letter topic and table.
        SingleOutputStreamOperator<InferenceEvent> events = records
                .process(new DeadLetterRouter())
                .name("route dead letters")
                .uid("route-dead-letters");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetterRouter.DEAD_LETTERS);

        // 2b. Feedback: bad records join the same dead letters; sampled feedback meets its sampled prediction by request id.
        DataStream<Outcome> outcomes = null; // consumed by the usage and performance aggregators; null without feedback
        if (feedback != null) {
            SingleOutputStreamOperator<FeedbackEvent> feedbackEvents = env
                    .fromSource(feedback, watermarks.feedbackStrategy(), "feedback (Kafka)")
                    .uid("source-feedback")
                    .process(new RouteFeedback(spec))
                    .name("route feedback dead letters and sample")
                    .uid("route-feedback");
            deadLetters = deadLetters.union(feedbackEvents.getSideOutput(DeadLetterRouter.DEAD_LETTERS));
            DataStream<InferenceEvent> sampledPredictions = events
                    .process(new SamplePredictions(spec))
                    .name("sample predictions for feedback")
                    .uid("sample-predictions");
            outcomes = sampledPredictions
                    .connect(feedbackEvents)
                    .keyBy(FeedbackJoin::key, FeedbackJoin::key, Types.STRING)
                    .process(new FeedbackJoin(spec), Types.POJO(Outcome.class))
                    .name("join feedback to predictions")
                    .uid("join-feedback");
        }

        // 3. Fold events into partial profiles in the same subtask: no per-event shuffle.
        DataStream<ProfileUpdate> partials = events
                .transform("fold partial profiles", Types.POJO(ProfileUpdate.class), new ProfileAccumulator(spec))
                .uid("fold-partial-profiles");

        // 4. Merge partials per model version, segment dimension and window; write rows when the window closes.
        SingleOutputStreamOperator<WindowStatsRow> windowStats = partials
                .keyBy(update -> update.key.asKey(), Types.STRING)
                .process(new ProfileMerger(spec))
                .name("merge window profiles")
                .uid("merge-window-profiles");
        DataStream<FeatureStatsRow> featureStats = windowStats.getSideOutput(ProfileMerger.FEATURE_STATS);

        // 5. Drift: every few minutes, the last hour's merged profile of each segment against its reference.
        SingleOutputStreamOperator<DriftScoreRow> driftScores = windowStats
                .getSideOutput(ProfileMerger.WINDOW_PROFILES)
                .keyBy(DriftEvaluator::key, Types.STRING)
                .process(new DriftEvaluator(spec, references))
                .name("evaluate drift")
                .uid("evaluate-drift");

        // 6. Service SLOs and input/output checks on each closed window of each segment.
        DataStream<Evaluation> windowChecks = windowStats
                .getSideOutput(ProfileMerger.WINDOW_PROFILES)
                .keyBy(DriftEvaluator::key, Types.STRING)
                .process(new WindowChecks(spec), Types.POJO(Evaluation.class))
                .name("check windows: SLOs and data")
                .uid("check-windows");

        // 6b. Usage and performance per prediction-time window and segment, from the joined feedback.
        SingleOutputStreamOperator<PerformanceMetricRow> performance = null;
        if (outcomes != null) {
            performance = outcomes
                    .flatMap(new OutcomeFanOut(spec), Types.POJO(SegmentOutcome.class))
                    .name("fan out outcomes to segments")
                    .uid("fan-out-outcome-segments")
                    .keyBy(SegmentOutcome::key, Types.STRING)
                    .process(new OutcomeAggregator(spec))
                    .name(OutcomeAggregator.NAME)
                    .uid(OutcomeAggregator.UID);
        }

        // 7. Traffic: each bucket's events against the same slot in past days or weeks (all versions of a model summed).
        SingleOutputStreamOperator<TrafficExpectationRow> trafficExpectations = windowStats
                .getSideOutput(ProfileMerger.WINDOW_PROFILES)
                .keyBy(TrafficAnomalyDetector::key, Types.STRING)
                .process(new TrafficAnomalyDetector(spec))
                .name("detect traffic anomalies")
                .uid("detect-traffic-anomalies");

        // 8. Silent models: activity from the partials (no sketch bytes), timers in event and wall-clock time.
        //    Emits alert events itself: the lifecycle waits for the watermark, which stands still when all is idle.
        DataStream<AlertEvent> silenceAlerts = partials
                .flatMap(new ModelActivity.FromPartials(spec), Types.POJO(ModelActivity.class))
                .name("model activity")
                .uid("model-activity")
                .keyBy(activity -> activity.model, Types.STRING)
                .process(new SilenceDetector(spec))
                .name("detect silence")
                .uid("detect-silence");

        // 9. Alerts: runs of breaching evaluations open alerts, runs of clean ones resolve them.
        DataStream<Evaluation> evaluations = driftScores.getSideOutput(DriftEvaluator.EVALUATIONS)
                .union(windowChecks, trafficExpectations.getSideOutput(TrafficAnomalyDetector.EVALUATIONS));
        if (performance != null) {
            evaluations = evaluations.union(performance.getSideOutput(OutcomeAggregator.EVALUATIONS));
        }
        DataStream<AlertEvent> alerts = AlertLifecycle.apply(evaluations).union(silenceAlerts);

        // 10. Results.
        sinks.windowStats(windowStats);
        sinks.featureStats(featureStats);
        sinks.deadLetters(deadLetters);
        sinks.driftScores(driftScores);
        sinks.alerts(alerts);
        sinks.trafficExpectations(trafficExpectations);
        if (performance != null) {
            sinks.usage(performance.getSideOutput(OutcomeAggregator.USAGE_STATS));
            sinks.performance(performance);
        }
        return outcomes;
    }
}
