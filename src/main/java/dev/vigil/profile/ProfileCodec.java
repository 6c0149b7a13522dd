package dev.vigil.profile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The binary form of a {@link SegmentProfile}: how partial profiles cross the network and sit
 * in keyed state. Sketches use their own DataSketches serialization; a version byte leads so
 * the format can change without breaking savepoints.
 */
public final class ProfileCodec {
    private static final byte FORMAT_VERSION = 1;

    private ProfileCodec() {}

    public static byte[] encode(SegmentProfile profile) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            profile.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SegmentProfile decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IOException("unknown profile format version " + version);
            }
            return SegmentProfile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event count of encoded profile bytes, read from the header without decoding the
     * sketches: detectors that only count traffic need no more.
     */
    public static long events(byte[] data) {
        if (data == null || data.length < 9 || data[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("not a profile in format version " + FORMAT_VERSION);
        }
        long events = 0;
        for (int i = 1; i < 9; i++) events = (events << 8) | (data[i] & 0xFF);
        return events;
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }
}
