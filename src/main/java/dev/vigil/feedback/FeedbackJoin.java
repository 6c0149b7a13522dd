package dev.vigil.feedback;

import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.FeedbackSpec;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins feedback events to the predictions they are about, keyed by {@link #key model and request id}.
 * Input 1 is the sampled predictions, input 2 the sampled feedback; either may come first.
 *
 * <p>A prediction emits an {@link Outcome#PREDICTION} at once (coverage denominators), then waits
 * its model's {@link FeedbackSpec#ttl() ttl} in event time for feedback. The first action and the
 * first ground truth of a request each emit one outcome ({@link Outcome#ACTION}, {@link Outcome#LABEL});
 * a feedback event with both emits two. Feedback that comes before its prediction waits, for the
 * same ttl, and is joined when the prediction arrives. A feedback event joins only when its event
 * time is at most ttl from its prediction's, so the result does not depend on when timers fire.
 *
 * <p>Event-time timers clear a prediction at predictionTime + ttl and waiting feedback at
 * feedbackTime + ttl. Nothing is dropped silently: see the counters in docs/operations.md.
 */
public final class FeedbackJoin extends KeyedCoProcessFunction<String, InferenceEvent, FeedbackEvent, Outcome> {
    private static final long serialVersionUID = 1L;
    /** Separates model and request id in the key; the parsers replace NUL in names, so it cannot occur in either. */
    private static final char KEY_SEPARATOR = '\0';

    private final MonitorSpec spec;
    private transient ValueState<RequestState> requests;
    transient Counter actionsJoined;
    transient Counter labelsJoined;
    transient Counter feedbackAfterTtl;
    transient Counter feedbackUnmatched;
    transient Counter duplicateActions;
    transient Counter duplicateLabels;
    transient Counter duplicatePredictions;
    transient Counter predictionsExpired;

    public FeedbackJoin(MonitorSpec spec) {
        this.spec = spec;
    }

    /** The join key of a prediction or a feedback event: request ids are unique per model only. */
    public static String key(String model, String requestId) {
        return model + KEY_SEPARATOR + requestId;
    }

    public static String key(InferenceEvent prediction) {
        return key(prediction.model, prediction.requestId);
    }

    public static String key(FeedbackEvent feedback) {
        return key(feedback.model, feedback.requestId);
    }

    @Override
    public void open(OpenContext context) {
        requests = getRuntimeContext().getState(new ValueStateDescriptor<>("request", Types.POJO(RequestState.class)));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("vigil");
        actionsJoined = g.counter("actionsJoined");
        labelsJoined = g.counter("labelsJoined");
        feedbackAfterTtl = g.counter("feedbackAfterTtl");
        feedbackUnmatched = g.counter("feedbackUnmatched");
        duplicateActions = g.counter("duplicateActions");
        duplicateLabels = g.counter("duplicateLabels");
        duplicatePredictions = g.counter("duplicatePredictions");
        predictionsExpired = g.counter("predictionsExpired");
    }

    @Override
    public void processElement1(InferenceEvent p, Context ctx, Collector<Outcome> out) throws Exception {
        RequestState s = requests.value();
        if (s != null && s.predicted) {
            duplicatePredictions.inc(); // a replayed or re-logged request: the first one counts
            return;
        }
        if (s == null) s = new RequestState();
        long ttl = ttlMillis(p.model);
        s.setPrediction(p);
        out.collect(outcome(Outcome.PREDICTION, p.requestId, p.model, s, 0));

        RequestState.WaitingFeedback w = s.waiting;
        if (w != null && w.action != null) {
            ctx.timerService().deleteEventTimeTimer(w.actionTime + ttl);
            if (withinTtl(s, w.actionTime, ttl)) {
                emitAction(s, p.requestId, p.model, w.actionTime, w.action, out);
            } else {
                feedbackAfterTtl.inc();
            }
        }
        if (w != null && w.groundTruth) {
            ctx.timerService().deleteEventTimeTimer(w.groundTruthTime + ttl);
            if (withinTtl(s, w.groundTruthTime, ttl)) {
                emitGroundTruth(s, p.requestId, p.model, w.groundTruthTime, w.trueLabel, w.trueValue, out);
            } else {
                feedbackAfterTtl.inc();
            }
        }
        s.waiting = null;
        ctx.timerService().registerEventTimeTimer(s.predictionTime + ttl);
        requests.update(s);
    }

    @Override
    public void processElement2(FeedbackEvent f, Context ctx, Collector<Outcome> out) throws Exception {
        RequestState s = requests.value();
        long ttl = ttlMillis(f.model);
        if (s != null && s.predicted) {
            if (!withinTtl(s, f.timestamp, ttl)) {
                feedbackAfterTtl.inc();
                return;
            }
            if (f.hasAction()) {
                if (s.actionJoined) {
                    duplicateActions.inc();
                } else {
                    emitAction(s, f.requestId, f.model, f.timestamp, f.action, out);
                }
            }
            if (f.hasGroundTruth()) {
                if (s.groundTruthJoined) {
                    duplicateLabels.inc();
                } else {
                    emitGroundTruth(s, f.requestId, f.model, f.timestamp, f.trueLabel, f.trueValue, out);
                }
            }
            requests.update(s);
            return;
        }
        // The prediction has not arrived (yet): keep the first action and the first ground truth until it does.
        if (s == null) s = new RequestState();
        if (s.waiting == null) s.waiting = new RequestState.WaitingFeedback();
        RequestState.WaitingFeedback w = s.waiting;
        if (f.hasAction()) {
            if (w.action != null) {
                duplicateActions.inc();
            } else {
                w.action = f.action;
                w.actionTime = f.timestamp;
                ctx.timerService().registerEventTimeTimer(f.timestamp + ttl);
            }
        }
        if (f.hasGroundTruth()) {
            if (w.groundTruth) {
                duplicateLabels.inc();
            } else {
                w.groundTruth = true;
                w.trueLabel = f.trueLabel;
                w.trueValue = f.trueValue;
                w.groundTruthTime = f.timestamp;
                ctx.timerService().registerEventTimeTimer(f.timestamp + ttl);
            }
        }
        requests.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Outcome> out) throws Exception {
        RequestState s = requests.value();
        if (s == null) return;
        long ttl = ttlMillis(modelOf(ctx.getCurrentKey()));
        if (s.predicted) {
            if (s.predictionTime + ttl <= timestamp) {
                predictionsExpired.inc();
                requests.clear();
            }
            return;
        }
        RequestState.WaitingFeedback w = s.waiting;
        if (w == null) {
            requests.clear();
            return;
        }
        if (w.action != null && w.actionTime + ttl <= timestamp) {
            feedbackUnmatched.inc();
            w.action = null;
        }
        if (w.groundTruth && w.groundTruthTime + ttl <= timestamp) {
            feedbackUnmatched.inc();
            w.groundTruth = false;
            w.trueLabel = null;
            w.trueValue = Double.NaN;
        }
        if (!w.isEmpty()) {
            requests.update(s);
        } else {
            requests.clear();
        }
    }

    /** Feedback joins a prediction when their event times are at most ttl apart, in either order. */
    private static boolean withinTtl(RequestState s, long feedbackTime, long ttl) {
        return feedbackTime <= s.predictionTime + ttl && s.predictionTime <= feedbackTime + ttl;
    }

    private void emitAction(RequestState s, String requestId, String model, long time, String action, Collector<Outcome> out) {
        Outcome o = outcome(Outcome.ACTION, requestId, model, s, time);
        o.action = action;
        out.collect(o);
        s.actionJoined = true;
        actionsJoined.inc();
    }

    private void emitGroundTruth(RequestState s, String requestId, String model, long time, String trueLabel, double trueValue,
                                 Collector<Outcome> out) {
        Outcome o = outcome(Outcome.LABEL, requestId, model, s, time);
        o.trueLabel = trueLabel;
        o.trueValue = trueValue;
        out.collect(o);
        s.groundTruthJoined = true;
        labelsJoined.inc();
    }

    private static Outcome outcome(String type, String requestId, String model, RequestState s, long feedbackTime) {
        Outcome o = new Outcome();
        o.type = type;
        o.requestId = requestId;
        o.model = model;
        o.modelVersion = s.modelVersion;
        o.predictionTime = s.predictionTime;
        o.segmentValues = s.segmentValues;
        o.score = s.score;
        o.predictedLabel = s.predictedLabel;
        o.predictedValue = s.predictedValue;
        o.error = s.error;
        o.fallback = s.fallback;
        o.feedbackTime = feedbackTime;
        return o;
    }

    private static String modelOf(String key) {
        return key.substring(0, key.indexOf(KEY_SEPARATOR));
    }

    private long ttlMillis(String model) {
        ModelSpec m = spec.model(model);
        FeedbackSpec feedback = m == null ? null : m.feedback();
        // Only sampled requests of models with a feedback section reach the join; the default covers a spec changed on restore.
        return (feedback == null ? FeedbackSpec.DEFAULT_TTL : feedback.ttl()).toMillis();
    }
}
