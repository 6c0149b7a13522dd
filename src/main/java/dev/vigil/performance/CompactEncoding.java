package dev.vigil.performance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Variable-length integers for the accumulator's binary form: most counts in a window are small,
 * so a count takes one or two bytes instead of eight.
 */
final class CompactEncoding {
    private CompactEncoding() {}

    /** Writes a non-negative long in 7-bit groups, low group first (1 byte below 128). */
    static void writeVarLong(DataOutput out, long value) throws IOException {
        if (value < 0) throw new IllegalArgumentException("negative count " + value);
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readVarLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) throw new IOException("count out of range");
                return value;
            }
        }
        throw new IOException("malformed variable-length count");
    }

    static int readVarInt(DataInput in, int max) throws IOException {
        long value = readVarLong(in);
        if (value > max) throw new IOException("value " + value + " exceeds " + max);
        return (int) value;
    }
}
