package dev.vigil.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes a timestamp into a payload at a fixed position, in the pool's format. For ISO text the
 * {@code yyyy-MM-ddTHH:mm:ss} part is cached per second (replayed time mostly moves forward), so
 * the cost per event stays a few nanoseconds. One instance per thread.
 */
final class TimestampWriter {
    private final TimestampFormat format;
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] secondText = new byte[19];

    TimestampWriter(TimestampFormat format) {
        this.format = format;
    }

    void write(byte[] dst, int at, long epochMillis) {
        if (format == TimestampFormat.EPOCH_MILLIS) {
            digits(dst, at, 13, epochMillis);
            return;
        }
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            digits(secondText, 0, 4, t.getYear());
            secondText[4] = '-';
            digits(secondText, 5, 2, t.getMonthValue());
            secondText[7] = '-';
            digits(secondText, 8, 2, t.getDayOfMonth());
            secondText[10] = 'T';
            digits(secondText, 11, 2, t.getHour());
            secondText[13] = ':';
            digits(secondText, 14, 2, t.getMinute());
            secondText[16] = ':';
            digits(secondText, 17, 2, t.getSecond());
            cachedSecond = second;
        }
        System.arraycopy(secondText, 0, dst, at, 19);
        dst[at + 19] = '.';
        digits(dst, at + 20, 3, Math.floorMod(epochMillis, 1000));
        dst[at + 23] = 'Z';
    }

    /** The value as text, for building payloads. */
    String text(long epochMillis) {
        byte[] b = new byte[format.width()];
        write(b, 0, epochMillis);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void digits(byte[] dst, int at, int n, long value) {
        for (int i = at + n - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
