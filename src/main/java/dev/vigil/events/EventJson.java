package dev.vigil.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What the inference and feedback parsers share: reading scalar fields off Jackson's streaming
 * parser with the contract's rules (identifiers, timestamps as epoch ms or ISO-8601), the bounds
 * of {@link ParserLimits}, and turning any failure into a {@link DeadLetter}.
 */
final class EventJson {
    static final int MAX_NAME_CHARS = 200;

    private EventJson() {}

    static JsonFactory newFactory() {
        return JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
    }

    /** Rejects empty and oversize payloads before any parsing. */
    static void checkSize(byte[] payload, ParserLimits limits) throws Rejection {
        if (payload == null || payload.length == 0) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, "empty record");
        }
        if (payload.length > limits.maxPayloadBytes()) {
            throw new Rejection(DeadLetterReason.OVERSIZE,
                    "payload is " + payload.length + " bytes; the limit is " + limits.maxPayloadBytes());
        }
    }

    /** Opens the payload and reads up to the first field of its top-level object. */
    static void startObject(JsonParser p) throws Exception {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, "the record is not a JSON object");
        }
    }

    /** After the last field: nothing may follow the object. */
    static void endObject(JsonParser p) throws Exception {
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw new Rejection(DeadLetterReason.MALFORMED_JSON, "content after the JSON object");
        }
    }

    /** Epoch milliseconds from a number or an ISO-8601 string with an offset; null for JSON null. */
    static Long timestamp(JsonParser p, JsonToken t) throws Exception {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double v = p.getDoubleValue();
            if (!Double.isFinite(v)) throw new Rejection(DeadLetterReason.WRONG_TYPE, "timestamp must be a finite number");
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new Rejection(DeadLetterReason.IMPLAUSIBLE_TIMESTAMP, "timestamp " + p.getText() + " is out of range");
            }
            return t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : (long) v;
        } else if (t == JsonToken.VALUE_STRING) {
            try {
                return OffsetDateTime.parse(p.getText()).toInstant().toEpochMilli();
            } catch (ArithmeticException ex) {
                throw new Rejection(DeadLetterReason.IMPLAUSIBLE_TIMESTAMP, "timestamp \"" + p.getText() + "\" is out of range");
            } catch (DateTimeParseException ex) {
                throw new Rejection(DeadLetterReason.WRONG_TYPE,
                        "timestamp must be epoch milliseconds or ISO-8601 with an offset, not \"" + p.getText() + "\"");
            }
        } else if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new Rejection(DeadLetterReason.WRONG_TYPE, "timestamp must be a number or a string, not " + describe(t));
    }

    /** Event times outside [now - max event age, now + max clock skew] are dead-lettered, not processed. */
    static void checkPlausible(long timestamp, long nowMillis, ParserLimits limits) throws Rejection {
        if (timestamp < nowMillis - limits.maxEventAge().toMillis()) {
            throw new Rejection(DeadLetterReason.IMPLAUSIBLE_TIMESTAMP,
                    "timestamp " + timestamp + " is older than the maximum event age " + limits.maxEventAge());
        }
        if (timestamp > nowMillis + limits.maxClockSkew().toMillis()) {
            throw new Rejection(DeadLetterReason.IMPLAUSIBLE_TIMESTAMP,
                    "timestamp " + timestamp + " is more than " + limits.maxClockSkew() + " in the future");
        }
    }

    /** Text of a scalar token (numbers and booleans as written); null for null, objects and arrays. */
    static String scalarText(JsonParser p, JsonToken t) throws Exception {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> null;
        };
    }

    static double number(JsonParser p, JsonToken t, String field) throws Exception {
        if (t == JsonToken.VALUE_NULL) return Double.NaN;
        if (!t.isNumeric()) throw new Rejection(DeadLetterReason.WRONG_TYPE, field + " must be a number, not " + describe(t));
        return p.getDoubleValue();
    }

    static String text(JsonParser p, JsonToken t, String field) throws Exception {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.VALUE_STRING) throw new Rejection(DeadLetterReason.WRONG_TYPE, field + " must be a string, not " + describe(t));
        return clean(p.getText());
    }

    /** An identifier such as a model name: a string (or a number written as one), bounded in length. */
    static String name(JsonParser p, JsonToken t, String field) throws Exception {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw new Rejection(DeadLetterReason.WRONG_TYPE, field + " must be a string, not " + describe(t));
        }
        String text = p.getText();
        if (text.isEmpty() || text.length() > MAX_NAME_CHARS) {
            throw new Rejection(DeadLetterReason.WRONG_TYPE, field + " must have 1 to " + MAX_NAME_CHARS + " characters");
        }
        return clean(text);
    }

    static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> String.valueOf(t);
        };
    }

    /** PostgreSQL text and jsonb reject NUL characters; replace them so one record cannot stall a sink. */
    static String clean(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /**
     * The dead letter for a record that failed with {@code failure}: a {@link Rejection} keeps its
     * reason, anything else (invalid JSON, invalid UTF-8, an unexpected exception) is malformed_json.
     */
    static DeadLetter deadLetter(byte[] payload, Exception failure, String model, String topic, int partition, long offset,
                                 long now, ParserLimits limits) {
        DeadLetterReason reason;
        String detail;
        if (failure instanceof Rejection r) {
            reason = r.reason;
            detail = r.getMessage();
        } else if (failure instanceof JsonProcessingException e) {
            reason = DeadLetterReason.MALFORMED_JSON;
            detail = e.getOriginalMessage() + (e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")");
        } else {
            reason = DeadLetterReason.MALFORMED_JSON;
            detail = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        DeadLetter d = new DeadLetter();
        d.reason = reason.code();
        d.detail = clean(String.valueOf(detail));
        d.model = model;
        d.topic = topic;
        d.partition = partition;
        d.offset = offset;
        d.receivedAt = now;
        int size = payload == null ? 0 : payload.length;
        int keep = Math.min(size, limits.deadLetterPayloadBytes());
        d.payloadBytes = size;
        d.payloadTruncated = keep < size;
        d.payload = payload == null ? "" : clean(new String(payload, 0, keep, StandardCharsets.UTF_8));
        return d;
    }
}
