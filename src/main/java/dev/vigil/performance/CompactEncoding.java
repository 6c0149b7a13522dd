package dev.vigil.performance;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The accumulator's binary form: variable-length integers (most counts in a window are small,
 * so a count takes one or two bytes instead of eight), big-endian doubles and length-prefixed
 * UTF-8 text, written to and read from a plain array. No stream classes: an aggregator may
 * decode, update and encode an accumulator for every label, so this path stays cheap.
 */
final class CompactEncoding {
    private CompactEncoding() {}

    /** A growing byte array. */
    static final class Writer {
        private byte[] bytes;
        private int position;

        Writer(int initialCapacity) {
            bytes = new byte[Math.max(16, initialCapacity)];
        }

        private void ensure(int more) {
            if (position + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
            }
        }

        void writeByte(int value) {
            ensure(1);
            bytes[position++] = (byte) value;
        }

        /** A non-negative long in 7-bit groups, low group first (1 byte below 128). */
        void writeVarLong(long value) {
            if (value < 0) throw new IllegalArgumentException("negative count " + value);
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                bytes[position++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[position++] = (byte) value;
        }

        void writeDouble(double value) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(value);
            for (int shift = 56; shift >= 0; shift -= 8) bytes[position++] = (byte) (bits >>> shift);
        }

        void writeText(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            writeVarLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, position, utf8.length);
            position += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, position);
        }
    }

    /** Reads what a {@link Writer} wrote; {@link IOException} on truncated or malformed input. */
    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        private void need(int n) throws EOFException {
            if (n > bytes.length - position) throw new EOFException("truncated");
        }

        byte readByte() throws IOException {
            need(1);
            return bytes[position++];
        }

        long readVarLong() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte() & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) throw new IOException("count out of range");
                    return value;
                }
            }
            throw new IOException("malformed variable-length count");
        }

        int readVarInt(int max) throws IOException {
            long value = readVarLong();
            if (value > max) throw new IOException("value " + value + " exceeds " + max);
            return (int) value;
        }

        double readDouble() throws IOException {
            need(8);
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = (bits << 8) | (bytes[position++] & 0xFF);
            return Double.longBitsToDouble(bits);
        }

        String readText() throws IOException {
            int n = readVarInt(bytes.length);
            need(n);
            String text = new String(bytes, position, n, StandardCharsets.UTF_8);
            position += n;
            return text;
        }
    }
}
