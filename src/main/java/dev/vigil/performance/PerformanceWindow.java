package dev.vigil.performance;

/**
 * The labeled predictions of one prediction-time window and segment, as a serialized
 * {@link PerformanceAccumulator}, kept in keyed state until the window's labels can no longer
 * arrive. A Flink POJO: serialized without Kryo.
 */
public class PerformanceWindow {
    /** {@link PerformanceAccumulator#toBytes()}. */
    public byte[] accumulator;
    /** The rows were written once (the window closed). */
    public boolean written;
    /** Outcomes arrived since the rows were last written. */
    public boolean changed;
    /** The window's performance was judged. */
    public boolean evaluated;

    public PerformanceWindow() {}
}
