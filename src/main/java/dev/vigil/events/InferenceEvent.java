package dev.vigil.events;

/**
 * One parsed inference, reduced to what the monitor spec profiles. Features and segment values
 * sit in arrays indexed like the model's spec, so profiling updates sketches by position.
 * A public-field POJO so Flink serializes it without Kryo.
 */
public class InferenceEvent {
    /** Feature states in {@link #numericState} and {@link #categoricalState}. */
    public static final byte PRESENT = 0;
    public static final byte MISSING = 1;
    public static final byte TYPE_MISMATCH = 2;

    public String model;
    public String modelVersion;
    /** Event time, UTC epoch milliseconds. */
    public long timestamp;
    public String requestId;
    public boolean error;
    public String errorCode;
    public boolean fallback;
    /** Milliseconds; NaN when the event did not report it. */
    public double latencyMs = Double.NaN;
    /** NaN when absent. */
    public double score = Double.NaN;
    /** Null when absent. */
    public String label;
    /** Regression output; NaN when absent. */
    public double value = Double.NaN;
    /** One value per spec segment dimension. */
    public String[] segments = new String[0];
    public double[] numeric = new double[0];
    public byte[] numericState = new byte[0];
    public String[] categorical = new String[0];
    public byte[] categoricalState = new byte[0];

    public InferenceEvent() {}
}
