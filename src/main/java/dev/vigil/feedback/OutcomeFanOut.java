package dev.vigil.feedback;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each outcome to every segment it counts in ({@code all} plus one per segment dimension),
 * so the keyed aggregation holds one segment per key and needs no per-outcome lookup of other
 * segments. An outcome of a model that is not in the spec is dropped (the join only emits
 * monitored models, so this guards against a spec change across a restart).
 */
public final class OutcomeFanOut implements FlatMapFunction<Outcome, SegmentOutcome> {
    private static final long serialVersionUID = 1L;

    private final MonitorSpec spec;

    public OutcomeFanOut(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void flatMap(Outcome outcome, Collector<SegmentOutcome> out) {
        ModelSpec model = spec.model(outcome.model);
        if (model == null) return;
        for (String segment : OutcomeSegments.of(model, outcome)) {
            out.collect(new SegmentOutcome(segment, outcome));
        }
    }
}
