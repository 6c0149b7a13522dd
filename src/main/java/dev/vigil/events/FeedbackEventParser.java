package dev.vigil.events;

import static dev.vigil.events.EventJson.clean;
import static dev.vigil.events.EventJson.describe;
import static dev.vigil.events.EventJson.name;
import static dev.vigil.events.EventJson.number;
import static dev.vigil.events.EventJson.scalarText;
import static dev.vigil.events.EventJson.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.spec.MonitorSpec;
import java.io.Serializable;

/**
 * Turns one raw feedback record (docs/feedback-event.md) into a {@link FeedbackEvent} or a
 * {@link DeadLetter}, with the same streaming parser, limits and reasons as inference events
 * ({@link InferenceEventParser}), plus {@link DeadLetterReason#EMPTY_FEEDBACK}. It never throws.
 * One instance is used by one thread at a time.
 */
public final class FeedbackEventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final MonitorSpec spec;
    private final ParserLimits limits;
    private transient JsonFactory factory;

    public FeedbackEventParser(MonitorSpec spec, ParserLimits limits) {
        this.spec = spec;
        this.limits = limits;
    }

    public ParsedFeedback parse(byte[] payload, String topic, int partition, long offset, long nowMillis) {
        FeedbackEvent e = new FeedbackEvent();
        e.timestamp = Long.MIN_VALUE;
        try {
            EventJson.checkSize(payload, limits);
            readObject(payload, e);
            finish(e, nowMillis);
            return ParsedFeedback.of(e);
        } catch (Exception failure) {
            return ParsedFeedback.of(EventJson.deadLetter(payload, failure, e.model, topic, partition, offset, nowMillis, limits));
        }
    }

    private void readObject(byte[] payload, FeedbackEvent e) throws Exception {
        if (factory == null) factory = EventJson.newFactory();
        try (JsonParser p = factory.createParser(payload)) {
            EventJson.startObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "request_id" -> e.requestId = name(p, t, "request_id");
                    case "model" -> e.model = name(p, t, "model");
                    case "model_version" -> e.modelVersion = name(p, t, "model_version");
                    case "timestamp" -> {
                        Long timestamp = EventJson.timestamp(p, t);
                        e.timestamp = timestamp == null ? Long.MIN_VALUE : timestamp;
                    }
                    case "action" -> e.action = action(text(p, t, "action"));
                    case "label" -> e.trueLabel = label(p, t);
                    case "value" -> e.trueValue = trueValue(p, t);
                    default -> p.skipChildren();
                }
            }
            EventJson.endObject(p);
        }
    }

    private void finish(FeedbackEvent e, long nowMillis) throws Rejection {
        if (e.requestId == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "request_id is required");
        if (e.model == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "model is required");
        if (e.timestamp == Long.MIN_VALUE) throw new Rejection(DeadLetterReason.MISSING_FIELD, "timestamp is required");
        if (spec.model(e.model) == null) {
            throw new Rejection(DeadLetterReason.UNKNOWN_MODEL, "model '" + e.model + "' is not in the monitor spec");
        }
        EventJson.checkPlausible(e.timestamp, nowMillis, limits);
        if (!e.hasAction() && !e.hasGroundTruth()) {
            throw new Rejection(DeadLetterReason.EMPTY_FEEDBACK, "at least one of action, label and value is required");
        }
    }

    /** The contract's action, as the shared constant (so state and outcomes hold one string instance per action). */
    private static String action(String text) throws Rejection {
        if (text == null) return null;
        int i = FeedbackEvent.ACTIONS.indexOf(text);
        if (i < 0) {
            throw new Rejection(DeadLetterReason.WRONG_TYPE,
                    "action must be one of " + String.join(", ", FeedbackEvent.ACTIONS) + ", not \"" + text + "\"");
        }
        return FeedbackEvent.ACTIONS.get(i);
    }

    /** A classifier's ground truth: a string, or a number or boolean read as its text. */
    private static String label(JsonParser p, JsonToken t) throws Exception {
        if (t == JsonToken.VALUE_NULL) return null;
        String label = scalarText(p, t);
        if (label == null) throw new Rejection(DeadLetterReason.WRONG_TYPE, "label must be a string, not " + describe(t));
        return clean(label);
    }

    private static double trueValue(JsonParser p, JsonToken t) throws Exception {
        double v = number(p, t, "value");
        if (t != JsonToken.VALUE_NULL && !Double.isFinite(v)) {
            throw new Rejection(DeadLetterReason.WRONG_TYPE, "value must be a finite number");
        }
        return v;
    }
}
