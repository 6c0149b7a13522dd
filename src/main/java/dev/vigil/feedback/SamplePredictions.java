package dev.vigil.feedback;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.FeedbackSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on the predictions that take part in the feedback join: models with a {@code feedback:}
 * section, requests in the sample ({@link FeedbackSampling}). Chained to the source, and it drops
 * the features and latency, so the join's shuffle carries only sampled predictions and only what
 * the join keeps. Emits a copy: the event itself is shared with the profile fold (object reuse).
 * Counts {@code predictionsSampled} and {@code predictionsSampledOut}.
 */
public final class SamplePredictions extends ProcessFunction<InferenceEvent, InferenceEvent> {
    private static final long serialVersionUID = 1L;

    private final MonitorSpec spec;
    transient Counter sampled;
    transient Counter sampledOut;

    public SamplePredictions(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        sampled = getRuntimeContext().getMetricGroup().addGroup("vigil").counter("predictionsSampled");
        sampledOut = getRuntimeContext().getMetricGroup().addGroup("vigil").counter("predictionsSampledOut");
    }

    @Override
    public void processElement(InferenceEvent e, Context ctx, Collector<InferenceEvent> out) {
        FeedbackSpec feedback = spec.model(e.model).feedback();
        if (feedback == null) return;
        if (!FeedbackSampling.sampled(e.requestId, feedback.sampleRate())) {
            sampledOut.inc();
            return;
        }
        sampled.inc();
        InferenceEvent p = new InferenceEvent(); // feature arrays stay empty
        p.model = e.model;
        p.modelVersion = e.modelVersion;
        p.timestamp = e.timestamp;
        p.requestId = e.requestId;
        p.error = e.error;
        p.errorCode = e.errorCode;
        p.fallback = e.fallback;
        p.score = e.score;
        p.label = e.label;
        p.value = e.value;
        p.segments = e.segments;
        out.collect(p);
    }
}
