package dev.vigil.profile;

/**
 * A partial profile of one segment value, sent from the subtask that folded the events to the
 * keyed merger. Only these cross the network; raw events never do (DESIGN.md, principle 1).
 */
public class ProfileUpdate {
    public WindowKey key;
    /** The value of the key's dimension, e.g. {@code DE}; {@code all} for the all-traffic segment. */
    public String segmentValue;
    /** {@link ProfileCodec} bytes of the partial {@link SegmentProfile}. */
    public byte[] profile;

    public ProfileUpdate() {}

    public ProfileUpdate(WindowKey key, String segmentValue, byte[] profile) {
        this.key = key;
        this.segmentValue = segmentValue;
        this.profile = profile;
    }
}
