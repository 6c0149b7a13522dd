package dev.vigil.baseline;

/** One row of {@code reference_profiles}: a segment's profile under a baseline name. */
public class ReferenceProfileRow {
    public String name;
    public String model;
    public String modelVersion;
    public String segment;
    public long rowsProfiled;
    /** ProfileCodec bytes. */
    public byte[] profile;
    public String source;

    public ReferenceProfileRow() {}
}
