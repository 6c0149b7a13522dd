package dev.vigil.traffic;

/** What {@link SilenceDetector} keeps per model. A Flink POJO. */
public class SilenceTrack {
    /** The version of the newest traffic seen. */
    public String modelVersion;
    /** End of the newest window with traffic (event time, UTC epoch ms). */
    public long lastWindowEnd;
    /** Wall-clock time the latest activity reached the detector. */
    public long lastArrival;
    /** The pending event-time and processing-time timers, or null. */
    public Long eventTimer;
    public Long processingTimer;
    /** The open silence alert, or null. */
    public String alertId;
    public long openedAt;
    public long firedAt;

    public SilenceTrack() {}

    public boolean alertOpen() {
        return alertId != null;
    }
}
