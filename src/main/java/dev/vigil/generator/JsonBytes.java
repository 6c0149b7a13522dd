package dev.vigil.generator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small, allocation-light JSON writer into a reusable byte buffer. The caller is responsible
 * for structure (commas are inserted automatically within an object); numbers are written with a
 * fixed number of decimals so the output never depends on floating-point printing details.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
    };

    private byte[] buf = new byte[1024];
    private int len;
    /** One flag per nesting level: whether the next member needs a leading comma. */
    private final boolean[] needComma = new boolean[16];
    private int depth;

    JsonBytes reset() {
        len = 0;
        depth = 0;
        return this;
    }

    int length() {
        return len;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    String asString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    /** Appends raw ASCII text (no escaping). */
    JsonBytes raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    JsonBytes beginObject() {
        put((byte) '{');
        needComma[++depth] = false;
        return this;
    }

    JsonBytes endObject() {
        put((byte) '}');
        depth--;
        return this;
    }

    JsonBytes beginArray() {
        put((byte) '[');
        needComma[++depth] = false;
        return this;
    }

    JsonBytes endArray() {
        put((byte) ']');
        depth--;
        return this;
    }

    /** Writes {@code "name":} with a leading comma when needed. */
    JsonBytes name(String name) {
        if (needComma[depth]) {
            put((byte) ',');
        }
        needComma[depth] = true;
        string(name);
        put((byte) ':');
        return this;
    }

    /** Marks the start of an array element (comma handling). */
    JsonBytes element() {
        if (needComma[depth]) {
            put((byte) ',');
        }
        needComma[depth] = true;
        return this;
    }

    JsonBytes string(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                ensure(1);
                buf[len++] = (byte) c;
            } else {
                escape(s, i);
                i = escapedUpTo;
            }
        }
        put((byte) '"');
        return this;
    }

    private int escapedUpTo;

    private void escape(String s, int i) {
        char c = s.charAt(i);
        escapedUpTo = i;
        switch (c) {
            case '"' -> raw("\\\"");
            case '\\' -> raw("\\\\");
            case '\n' -> raw("\\n");
            case '\r' -> raw("\\r");
            case '\t' -> raw("\\t");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    ensure(6);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = HEX[(c >> 12) & 0xf];
                    buf[len++] = HEX[(c >> 8) & 0xf];
                    buf[len++] = HEX[(c >> 4) & 0xf];
                    buf[len++] = HEX[c & 0xf];
                } else {
                    int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                    byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                    ensure(utf8.length);
                    System.arraycopy(utf8, 0, buf, len, utf8.length);
                    len += utf8.length;
                    escapedUpTo = end - 1;
                }
            }
        }
    }

    JsonBytes nul() {
        return raw("null");
    }

    JsonBytes bool(boolean b) {
        return raw(b ? "true" : "false");
    }

    JsonBytes number(long v) {
        if (v == Long.MIN_VALUE) {
            return raw(Long.toString(v));
        }
        if (v < 0) {
            put((byte) '-');
            v = -v;
        }
        ensure(20);
        int start = len;
        do {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v > 0);
        for (int a = start, b = len - 1; a < b; a++, b--) {
            byte t = buf[a];
            buf[a] = buf[b];
            buf[b] = t;
        }
        return this;
    }

    /** Writes a finite number with exactly {@code decimals} digits after the point (0 = integer). */
    JsonBytes number(double v, int decimals) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e15) {
            return raw(Double.isFinite(v) ? Double.toString(v) : "null");
        }
        long scaled = Math.round(v * POW10[decimals]);
        if (scaled < 0) {
            put((byte) '-');
            scaled = -scaled;
        }
        long p = POW10[decimals];
        number(scaled / p);
        if (decimals > 0) {
            put((byte) '.');
            long frac = scaled % p;
            ensure(decimals);
            for (int i = decimals - 1; i >= 0; i--) {
                buf[len + i] = (byte) ('0' + (frac % 10));
                frac /= 10;
            }
            len += decimals;
        }
        return this;
    }

    /** Writes an ISO-8601 UTC timestamp with milliseconds, e.g. {@code "2026-11-27T08:00:00.125Z"}. */
    JsonBytes isoTimestamp(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = java.time.LocalDate.ofEpochDay(day).toString();
        }
        put((byte) '"');
        raw(cachedDate);
        put((byte) 'T');
        two(msOfDay / 3_600_000);
        put((byte) ':');
        two(msOfDay / 60_000 % 60);
        put((byte) ':');
        two(msOfDay / 1000 % 60);
        put((byte) '.');
        int ms = msOfDay % 1000;
        put((byte) ('0' + ms / 100));
        put((byte) ('0' + ms / 10 % 10));
        put((byte) ('0' + ms % 10));
        put((byte) 'Z');
        put((byte) '"');
        return this;
    }

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    private void two(int v) {
        put((byte) ('0' + v / 10));
        put((byte) ('0' + v % 10));
    }
}
