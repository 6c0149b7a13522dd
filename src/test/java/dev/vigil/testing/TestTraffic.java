package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Inference traffic for integration tests, with every value kept so the expected profiles can
 * be computed exactly and independently of the job ({@link ExpectedProfiles}).
 */
public final class TestTraffic {
    private static final String[] COUNTRIES = {"DE", "FR", "IT", "ES", "NL"};
    private static final double[] COUNTRY_WEIGHTS = {0.4, 0.25, 0.17, 0.1, 0.08};
    private static final String[] CHANNELS = {"web", "app", "pos"};
    private static final String[] MERCHANTS = {"food", "travel", "tech", "toys"};
    private static final String[] REGIONS = {"n", "s", "e"};

    /** One generated event and the values it carries (null = absent or null in the JSON). */
    public record Event(String model, String version, long timestamp, String requestId, String country, String channel,
                        String region, boolean error, boolean fallback, Double latencyMs, Double score, String label,
                        Double value, Object amount, Double age, String merchant, Double size) {

        public byte[] json() {
            StringBuilder b = new StringBuilder(256).append('{');
            field(b, "model", model).append(',');
            field(b, "model_version", version).append(',');
            b.append("\"timestamp\":").append(timestamp).append(',');
            field(b, "request_id", requestId).append(',');
            field(b, "status", error ? "error" : "ok").append(',');
            if (error) field(b, "error_code", "TIMEOUT").append(',');
            field(b, "served_by", fallback ? "fallback" : "model").append(',');
            if (latencyMs != null) b.append("\"latency_ms\":").append(latencyMs).append(',');
            b.append("\"segments\":{");
            if (model.equals("scorer")) {
                field(b, "country", country).append(',');
                field(b, "channel", channel);
            } else {
                field(b, "region", region);
            }
            b.append("},\"features\":{");
            if (model.equals("scorer")) {
                b.append("\"amount\":").append(amount == null ? "null" : amount instanceof String s ? quote(s) : amount).append(',');
                if (age != null) b.append("\"age\":").append(age).append(',');
                b.append("\"merchant\":").append(merchant == null ? "null" : quote(merchant)).append(',');
                b.append("\"unused\":[1,2,{\"x\":3}]");
            } else {
                b.append("\"size\":").append(size == null ? "null" : size);
            }
            b.append('}');
            if (!error) {
                b.append(",\"prediction\":{");
                if (score != null) b.append("\"score\":").append(score).append(",\"label\":").append(quote(label));
                if (value != null) b.append("\"value\":").append(value);
                b.append('}');
            }
            return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private TestTraffic() {}

    /**
     * {@code count} events from {@code start} on, one every {@code spacingMs} on average, a few
     * out of order by up to 3 s.
     */
    public static List<Event> generate(long seed, long start, int count, long spacingMs) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = start + i * spacingMs + r.nextLong(spacingMs);
            if (r.nextDouble() < 0.02) ts -= r.nextLong(3_000);
            String id = "req-" + seed + "-" + i;
            boolean error = r.nextDouble() < 0.03;
            boolean fallback = r.nextDouble() < 0.02;
            Double latency = r.nextDouble() < 0.01 ? null : round(Math.exp(3 + 0.6 * gaussian(r)));
            if (r.nextDouble() < 0.7) {
                String country = COUNTRIES[pick(r, COUNTRY_WEIGHTS)];
                String channel = CHANNELS[r.nextInt(CHANNELS.length)];
                Object amount;
                double u = r.nextDouble();
                if (u < 0.02) amount = null;
                else if (u < 0.025) amount = "n/a";
                else amount = round(Math.exp(4 + gaussian(r)) + (country.equals("DE") ? 50 : 0));
                Double age = r.nextDouble() < 0.1 ? null : (double) r.nextInt(18, 90);
                String merchant = r.nextDouble() < 0.03 ? null : MERCHANTS[r.nextInt(MERCHANTS.length)];
                Double score = error ? null : round(r.nextDouble() * r.nextDouble());
                String label = score == null ? null : score > 0.5 ? "yes" : "no";
                events.add(new Event("scorer", r.nextDouble() < 0.8 ? "v1" : "v2", ts, id, country, channel, null,
                        error, fallback, latency, score, label, null, amount, age, merchant, null));
            } else {
                String region = REGIONS[r.nextInt(REGIONS.length)];
                Double size = r.nextDouble() < 0.02 ? null : round(20 + 200 * r.nextDouble() + 40 * gaussian(r));
                Double value = error ? null : round(1000 + 3000 * r.nextDouble());
                events.add(new Event("estimator", "2024.1", ts, id, null, null, region, error, fallback, latency,
                        null, null, value, null, null, null, size));
            }
        }
        return events;
    }

    private static int pick(SplittableRandom r, double[] weights) {
        double u = r.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.length - 1;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        return b.append('"').append(name).append("\":").append(quote(value));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
