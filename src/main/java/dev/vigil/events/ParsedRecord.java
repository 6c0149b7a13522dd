package dev.vigil.events;

/** What the Kafka source emits per record: exactly one of an event or a dead letter. */
public class ParsedRecord {
    public InferenceEvent event;
    public DeadLetter deadLetter;

    public ParsedRecord() {}

    public static ParsedRecord of(InferenceEvent event) {
        ParsedRecord r = new ParsedRecord();
        r.event = event;
        return r;
    }

    public static ParsedRecord of(DeadLetter deadLetter) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isEvent() {
        return event != null;
    }
}
