package dev.vigil.generator;

import java.nio.charset.StandardCharsets;

/**
 * One record to publish.
 *
 * @param eventTimeMillis the simulated time the record is produced at: the event's timestamp for
 *     good events; for bad records the time of the event slot they were produced in (an
 *     implausible-timestamp record carries a different timestamp in its payload)
 * @param model the model named in the payload, or null when the payload is malformed JSON; for an
 *     {@code unknown_model} record it is the unknown name
 * @param requestId the request id in the payload, or null when it has none
 * @param payload the UTF-8 bytes to publish (never contains a newline)
 * @param bad whether this is a deliberately bad record
 * @param badKind the dead-letter reason for a bad record (see {@link BadRecordKind#reason()}), else null
 * @param feedback whether this is a feedback event (a user's action or ground truth, for the
 *     {@code feedback} topic) rather than an inference event; {@code eventTimeMillis} is then the
 *     feedback's own timestamp
 */
public record GeneratedRecord(
        long eventTimeMillis, String model, String requestId, byte[] payload, boolean bad, String badKind,
        boolean feedback) {

    /** An inference event or a bad record (not feedback). */
    public GeneratedRecord(long eventTimeMillis, String model, String requestId, byte[] payload, boolean bad,
            String badKind) {
        this(eventTimeMillis, model, requestId, payload, bad, badKind, false);
    }

    /** The payload as text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String p = payloadAsString();
        return "GeneratedRecord[" + eventTimeMillis + ", " + model + (bad ? ", bad=" + badKind : "")
                + (feedback ? ", feedback" : "") + ", "
                + (p.length() > 200 ? p.substring(0, 200) + "...(" + payload.length + " bytes)" : p) + "]";
    }
}
