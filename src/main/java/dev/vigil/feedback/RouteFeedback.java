package dev.vigil.feedback;

import dev.vigil.events.DeadLetterRouter;
import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.ParsedFeedback;
import dev.vigil.spec.FeedbackSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends bad feedback records to the dead letters (side output {@link DeadLetterRouter#DEAD_LETTERS},
 * the same stream as inference dead letters) and passes on the feedback the join needs: models with
 * a {@code feedback:} section, requests in the sample. Chained to the source. Counts
 * {@code feedbackSampledOut} and {@code feedbackForModelsWithoutJoin} (a valid model whose spec has no
 * {@code feedback:} section: usually a spec that forgot it).
 */
public final class RouteFeedback extends ProcessFunction<ParsedFeedback, FeedbackEvent> {
    private static final long serialVersionUID = 1L;

    private final MonitorSpec spec;
    transient Counter sampledOut;
    transient Counter withoutJoin;

    public RouteFeedback(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        sampledOut = getRuntimeContext().getMetricGroup().addGroup("vigil").counter("feedbackSampledOut");
        withoutJoin = getRuntimeContext().getMetricGroup().addGroup("vigil").counter("feedbackForModelsWithoutJoin");
    }

    @Override
    public void processElement(ParsedFeedback record, Context ctx, Collector<FeedbackEvent> out) {
        if (record.event == null) {
            ctx.output(DeadLetterRouter.DEAD_LETTERS, record.deadLetter);
            return;
        }
        FeedbackEvent f = record.event;
        FeedbackSpec feedback = spec.model(f.model).feedback();
        if (feedback == null) {
            withoutJoin.inc();
        } else if (FeedbackSampling.sampled(f.requestId, feedback.sampleRate())) {
            out.collect(f);
        } else {
            sampledOut.inc();
        }
    }
}
