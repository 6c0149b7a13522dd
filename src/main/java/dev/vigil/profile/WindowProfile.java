package dev.vigil.profile;

/**
 * The merged profile of one model version, segment and window, as written to the metrics
 * tables, for detectors that look across windows (drift merges these into hour profiles).
 * Emitted again when late events update the window; consumers replace by window.
 */
public class WindowProfile {
    public String model;
    public String modelVersion;
    public String segment;
    public long windowStart;
    public long windowEnd;
    /** {@link ProfileCodec} bytes of the {@link SegmentProfile}. */
    public byte[] profile;

    public WindowProfile() {}

    public WindowProfile(String model, String modelVersion, String segment, long windowStart, long windowEnd, byte[] profile) {
        this.model = model;
        this.modelVersion = modelVersion;
        this.segment = segment;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.profile = profile;
    }
}
