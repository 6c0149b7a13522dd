package dev.vigil.events;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes parsed events on and routes dead letters to a side output. Chained to the source: no copy, no shuffle. */
public final class DeadLetterRouter extends ProcessFunction<ParsedRecord, InferenceEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", Types.POJO(DeadLetter.class)) {};

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<InferenceEvent> out) {
        if (record.event != null) {
            out.collect(record.event);
        } else {
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
