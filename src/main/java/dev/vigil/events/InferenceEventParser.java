package dev.vigil.events;

import static dev.vigil.events.EventJson.clean;
import static dev.vigil.events.EventJson.name;
import static dev.vigil.events.EventJson.number;
import static dev.vigil.events.EventJson.scalarText;
import static dev.vigil.events.EventJson.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Turns one raw inference log record into an {@link InferenceEvent} or a {@link DeadLetter}.
 *
 * <p>Parsing is the dominant per-event cost of the job (see STACK.md), so this reads the JSON
 * with Jackson's streaming parser and writes values straight into the event's spec-indexed
 * arrays; no tree, no map per event. It never throws: every failure becomes a dead letter with
 * a reason and the field it concerns. One instance is used by one thread at a time.
 */
public final class InferenceEventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final MonitorSpec spec;
    private final ParserLimits limits;
    /** Parsing reference (training) data rather than live traffic. */
    private final boolean reference;
    /** For reference data: the model and version of rows that do not name them (may be null). */
    private final String referenceModel;
    private final String referenceVersion;

    private transient JsonFactory factory;
    private transient FeatureBuffer buffered;

    public InferenceEventParser(MonitorSpec spec, ParserLimits limits) {
        this(spec, limits, false, null, null);
    }

    private InferenceEventParser(MonitorSpec spec, ParserLimits limits, boolean reference, String referenceModel,
                                 String referenceVersion) {
        this.spec = spec;
        this.limits = limits;
        this.reference = reference;
        this.referenceModel = referenceModel;
        this.referenceVersion = referenceVersion;
    }

    /**
     * A parser for reference data (training or validation rows): only the features, segments and
     * prediction matter. Rows may omit the model, version, timestamp, request id and status; they
     * are taken as the given model and version, successful, and all at event time 0, so they form
     * one profile.
     */
    public static InferenceEventParser forReference(MonitorSpec spec, String model, String modelVersion) {
        return new InferenceEventParser(spec, new ParserLimits(Integer.MAX_VALUE, 4096, java.time.Duration.ofDays(365 * 1000L),
                java.time.Duration.ofDays(365 * 1000L)), true, model, modelVersion);
    }

    public ParsedRecord parse(byte[] payload, String topic, int partition, long offset, long nowMillis) {
        State s = new State();
        try {
            EventJson.checkSize(payload, limits);
            readObject(payload, s);
            return ParsedRecord.of(finish(s, nowMillis));
        } catch (Exception e) {
            return ParsedRecord.of(EventJson.deadLetter(payload, e, s.model, topic, partition, offset, nowMillis, limits));
        }
    }

    /** The fields read so far; the event is built once the whole object is read. */
    private static final class State {
        String model;
        ModelSpec modelSpec;
        InferenceEvent event = new InferenceEvent();
        boolean hasTimestamp;
        String status;
        String[] segmentNames = new String[4];
        String[] segmentValues = new String[4];
        int segmentCount;
        boolean featuresBuffered;
    }

    private void readObject(byte[] payload, State s) throws Exception {
        try (JsonParser p = factory().createParser(payload)) {
            EventJson.startObject(p);
            InferenceEvent e = s.event;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "model" -> {
                        s.model = name(p, t, "model");
                        s.modelSpec = s.model == null ? null : spec.model(s.model);
                    }
                    case "model_version" -> e.modelVersion = name(p, t, "model_version");
                    case "request_id" -> e.requestId = name(p, t, "request_id");
                    case "timestamp" -> readTimestamp(p, t, s);
                    case "status" -> s.status = text(p, t, "status");
                    case "error_code" -> e.errorCode = text(p, t, "error_code");
                    case "served_by" -> e.fallback = isFallback(text(p, t, "served_by"));
                    case "latency_ms" -> e.latencyMs = number(p, t, "latency_ms");
                    case "segments" -> readSegments(p, t, s);
                    case "features" -> readFeatures(p, t, s);
                    case "prediction" -> readPrediction(p, t, e);
                    default -> p.skipChildren();
                }
            }
            EventJson.endObject(p);
        }
    }

    private InferenceEvent finish(State s, long nowMillis) throws Rejection {
        InferenceEvent e = s.event;
        if (reference) {
            if (s.model == null && referenceModel != null) {
                s.model = referenceModel;
                s.modelSpec = spec.model(referenceModel);
            }
            if (e.modelVersion == null) e.modelVersion = referenceVersion;
            if (e.requestId == null) e.requestId = "";
            if (s.status == null) s.status = "ok";
            e.timestamp = nowMillis;
            s.hasTimestamp = true;
        }
        if (s.model == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "model is required");
        if (e.modelVersion == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "model_version is required");
        if (!s.hasTimestamp) throw new Rejection(DeadLetterReason.MISSING_FIELD, "timestamp is required");
        if (e.requestId == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "request_id is required");
        if (s.status == null) throw new Rejection(DeadLetterReason.MISSING_FIELD, "status is required");
        if (s.status.equals("error")) {
            e.error = true;
        } else if (!s.status.equals("ok")) {
            throw new Rejection(DeadLetterReason.WRONG_TYPE, "status must be \"ok\" or \"error\", not \"" + s.status + "\"");
        }
        if (e.latencyMs < 0) throw new Rejection(DeadLetterReason.WRONG_TYPE, "latency_ms must not be negative");
        if (s.modelSpec == null) {
            throw new Rejection(DeadLetterReason.UNKNOWN_MODEL, "model '" + s.model + "' is not in the monitor spec");
        }
        EventJson.checkPlausible(e.timestamp, nowMillis, limits);
        e.model = s.model;
        ModelSpec m = s.modelSpec;
        e.segments = new String[m.segments().size()];
        Arrays.fill(e.segments, SegmentDimension.UNKNOWN);
        for (int i = 0; i < s.segmentCount; i++) {
            Integer slot = m.segmentSlot(s.segmentNames[i]);
            if (slot != null) e.segments[slot] = s.segmentValues[i];
        }
        if (s.featuresBuffered) {
            ensureFeatureArrays(e, m);
            buffered.replay(e, m);
        } else if (e.numeric.length != m.numericFeatures().size() || e.categorical.length != m.categoricalFeatures().size()) {
            ensureFeatureArrays(e, m); // no "features" object: everything missing
        }
        return e;
    }

    private void readTimestamp(JsonParser p, JsonToken t, State s) throws Exception {
        Long timestamp = EventJson.timestamp(p, t);
        if (timestamp != null) {
            s.event.timestamp = timestamp;
            s.hasTimestamp = true;
        }
    }

    private void readSegments(JsonParser p, JsonToken t, State s) throws Exception {
        if (t == JsonToken.VALUE_NULL) return;
        if (t != JsonToken.START_OBJECT) throw new Rejection(DeadLetterReason.WRONG_TYPE, "segments must be an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String dim = p.currentName();
            JsonToken v = p.nextToken();
            String value = scalarText(p, v);
            if (value == null) {
                p.skipChildren();
                continue;
            }
            if (s.segmentCount == s.segmentNames.length) {
                s.segmentNames = Arrays.copyOf(s.segmentNames, s.segmentCount * 2);
                s.segmentValues = Arrays.copyOf(s.segmentValues, s.segmentCount * 2);
            }
            s.segmentNames[s.segmentCount] = dim;
            s.segmentValues[s.segmentCount++] = clean(value);
        }
    }

    private void readFeatures(JsonParser p, JsonToken t, State s) throws Exception {
        if (t == JsonToken.VALUE_NULL) return;
        if (t != JsonToken.START_OBJECT) throw new Rejection(DeadLetterReason.WRONG_TYPE, "features must be an object");
        ModelSpec m = s.modelSpec;
        if (m != null) {
            ensureFeatureArrays(s.event, m);
        } else {
            buffered().clear();
            s.featuresBuffered = true;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (m != null) {
                Integer slot = m.featureSlot(name);
                if (slot == null) {
                    p.skipChildren();
                } else if (slot >= 0) {
                    setNumeric(s.event, slot, v, v.isNumeric() ? p.getDoubleValue() : 0);
                    p.skipChildren();
                } else {
                    setCategorical(s.event, -1 - slot, v, scalarText(p, v));
                    p.skipChildren();
                }
            } else {
                buffered.add(name, v, v.isNumeric() ? p.getDoubleValue() : 0, scalarText(p, v));
                p.skipChildren();
            }
        }
    }

    private static void setNumeric(InferenceEvent e, int i, JsonToken t, double value) {
        if (t.isNumeric()) {
            e.numeric[i] = value;
            e.numericState[i] = InferenceEvent.PRESENT;
        } else {
            e.numericState[i] = t == JsonToken.VALUE_NULL ? InferenceEvent.MISSING : InferenceEvent.TYPE_MISMATCH;
        }
    }

    private static void setCategorical(InferenceEvent e, int j, JsonToken t, String text) {
        if (t == JsonToken.VALUE_NULL) {
            e.categoricalState[j] = InferenceEvent.MISSING;
        } else if (text == null) {
            e.categoricalState[j] = InferenceEvent.TYPE_MISMATCH;
        } else {
            e.categorical[j] = clean(text);
            e.categoricalState[j] = InferenceEvent.PRESENT;
        }
    }

    private void readPrediction(JsonParser p, JsonToken t, InferenceEvent e) throws Exception {
        if (t == JsonToken.VALUE_NULL) return;
        if (t != JsonToken.START_OBJECT) throw new Rejection(DeadLetterReason.WRONG_TYPE, "prediction must be an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "score" -> e.score = number(p, v, "prediction.score");
                case "value" -> e.value = number(p, v, "prediction.value");
                case "label" -> {
                    String label = scalarText(p, v);
                    if (label == null && v != JsonToken.VALUE_NULL) {
                        throw new Rejection(DeadLetterReason.WRONG_TYPE, "prediction.label must be a string");
                    }
                    e.label = label == null ? null : clean(label);
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void ensureFeatureArrays(InferenceEvent e, ModelSpec m) {
        int n = m.numericFeatures().size();
        int c = m.categoricalFeatures().size();
        e.numeric = new double[n];
        e.numericState = new byte[n];
        Arrays.fill(e.numericState, InferenceEvent.MISSING);
        e.categorical = new String[c];
        e.categoricalState = new byte[c];
        Arrays.fill(e.categoricalState, InferenceEvent.MISSING);
    }

    private static boolean isFallback(String servedBy) throws Rejection {
        if (servedBy == null || servedBy.equals("model")) return false;
        if (servedBy.equals("fallback")) return true;
        throw new Rejection(DeadLetterReason.WRONG_TYPE, "served_by must be \"model\" or \"fallback\", not \"" + servedBy + "\"");
    }

    private JsonFactory factory() {
        if (factory == null) factory = EventJson.newFactory();
        return factory;
    }

    private FeatureBuffer buffered() {
        if (buffered == null) buffered = new FeatureBuffer();
        return buffered;
    }

    /** Features read before the model field: kept until the model (and so the slots) is known. */
    private static final class FeatureBuffer {
        String[] names = new String[32];
        JsonToken[] tokens = new JsonToken[32];
        double[] numbers = new double[32];
        String[] texts = new String[32];
        int size;

        void clear() {
            size = 0;
        }

        void add(String name, JsonToken token, double number, String text) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                tokens = Arrays.copyOf(tokens, size * 2);
                numbers = Arrays.copyOf(numbers, size * 2);
                texts = Arrays.copyOf(texts, size * 2);
            }
            names[size] = name;
            tokens[size] = token;
            numbers[size] = number;
            texts[size++] = text;
        }

        void replay(InferenceEvent e, ModelSpec m) {
            for (int i = 0; i < size; i++) {
                Integer slot = m.featureSlot(names[i]);
                if (slot == null) continue;
                if (slot >= 0) {
                    setNumeric(e, slot, tokens[i], numbers[i]);
                } else {
                    setCategorical(e, -1 - slot, tokens[i], texts[i]);
                }
            }
        }
    }
}
