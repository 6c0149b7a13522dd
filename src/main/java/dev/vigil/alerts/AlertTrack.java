package dev.vigil.alerts;

/**
 * What {@link AlertLifecycle} remembers per key between evaluations: the current run of
 * breaching or clean evaluations and the open alert, if any. Keyed state; a Flink POJO so its
 * schema can evolve across savepoints. Absent (cleared) when the last evaluation was clean and no
 * alert is open.
 */
public class AlertTrack {
    /** Consecutive breaching evaluations up to the last processed one (0 after a clean one). */
    public int breaches;
    /** evaluatedAt of the first breaching evaluation of the current run. */
    public long runStartedAt;
    /** The highest severity in the current breaching run. */
    public String runSeverity;
    /** Consecutive clean evaluations up to the last processed one (0 after a breaching one). */
    public int cleans;

    /** The open alert's id, or null when none is open. */
    public String alertId;
    public long openedAt;
    /** Event time of the evaluation that opened the alert. */
    public long firedAt;
    /** The open alert's current severity. */
    public String severity;
    /** Consecutive evaluations less severe than the open alert (clean ones included). */
    public int below;
    /** The highest severity among them; null if they were all clean. */
    public String belowSeverity;

    public AlertTrack() {}

    boolean alertOpen() {
        return alertId != null;
    }
}
