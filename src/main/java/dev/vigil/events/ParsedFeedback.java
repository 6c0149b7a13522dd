package dev.vigil.events;

/** What the feedback source emits per record: exactly one of a feedback event or a dead letter. */
public class ParsedFeedback {
    public FeedbackEvent event;
    public DeadLetter deadLetter;

    public ParsedFeedback() {}

    public static ParsedFeedback of(FeedbackEvent event) {
        ParsedFeedback r = new ParsedFeedback();
        r.event = event;
        return r;
    }

    public static ParsedFeedback of(DeadLetter deadLetter) {
        ParsedFeedback r = new ParsedFeedback();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isEvent() {
        return event != null;
    }
}
