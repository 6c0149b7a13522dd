package dev.vigil.feedback;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.FeedbackSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;

/**
 * Keeps the predictions that take part in the feedback join: models with a {@code feedback:}
 * section, requests in the sample ({@link FeedbackSampling}). Chained to the source: the join's
 * shuffle carries only these. Counts {@code predictionsSampled} and {@code predictionsSampledOut}.
 */
public final class SamplePredictions extends RichFilterFunction<InferenceEvent> {
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
    public boolean filter(InferenceEvent e) {
        FeedbackSpec feedback = spec.model(e.model).feedback();
        if (feedback == null) return false;
        boolean keep = FeedbackSampling.sampled(e.requestId, feedback.sampleRate());
        (keep ? sampled : sampledOut).inc();
        return keep;
    }
}
