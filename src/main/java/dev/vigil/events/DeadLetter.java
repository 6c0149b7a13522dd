package dev.vigil.events;

/** A record that was not profiled, with why, where it came from and its (truncated) payload. */
public class DeadLetter {
    /** {@link DeadLetterReason#code()}. */
    public String reason;
    /** Which field and what was wrong, for a person. */
    public String detail;
    public String topic;
    public int partition;
    public long offset;
    /** The model, when it could be read before the record failed; else null. */
    public String model;
    /** The payload as UTF-8 text, cut to the configured bound. */
    public String payload;
    /** Size of the original payload in bytes. */
    public int payloadBytes;
    public boolean payloadTruncated;
    /** When the job read the record (processing time, epoch ms). */
    public long receivedAt;

    public DeadLetter() {}
}
