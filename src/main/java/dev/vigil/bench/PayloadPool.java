package dev.vigil.bench;

import dev.vigil.spec.FeatureSpec;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.ModelTask;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Distinct serialized inference events, generated once from a monitor spec before anything is
 * measured, then replayed in a cycle. Each payload's timestamp sits at a known position with a
 * fixed width, so a replay gives it the time it needs with a copy and a few byte writes.
 *
 * <p>The traffic: the spec's first model takes {@code hotShare} of the events (95% on its main
 * version, 5% on a canary), the others share the rest equally. Segment values, categories and
 * numbers are skewed like real traffic, with a little missing, unexpected and out-of-range data.
 *
 * <p>Pools are registered by id so the bench source, running inside the local cluster in this
 * JVM, can use one without shipping it through the job graph.
 */
public final class PayloadPool {
    private static final Map<String, PayloadPool> REGISTRY = new ConcurrentHashMap<>();

    /** Share of a model's events whose timestamp trails the replay clock (bounded out-of-orderness). */
    static final double OUT_OF_ORDER_SHARE = 0.05;
    /** Maximum trail in milliseconds; well under the job's 10 s bounded out-of-orderness, so nothing is late. */
    static final int MAX_OUT_OF_ORDER_MS = 3_000;

    private static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "IN", "BR", "JP", "ES", "IT", "NL"};
    private static final double[] COUNTRY_WEIGHTS = {30, 12, 11, 9, 9, 8, 7, 6, 4, 4};
    private static final String[] DEVICES = {"android", "ios", "desktop", "tablet"};
    private static final double[] DEVICE_WEIGHTS = {40, 35, 20, 5};

    private final String id;
    private final TimestampFormat format;
    private final byte[][] payloads;
    private final int[] timestampAt;
    private final int[] trailMs;
    private final String description;
    private final Map<String, Integer> segmentValues;

    private PayloadPool(String id, TimestampFormat format, byte[][] payloads, int[] timestampAt, int[] trailMs, String description,
                        Map<String, Integer> segmentValues) {
        this.id = id;
        this.segmentValues = segmentValues;
        this.format = format;
        this.payloads = payloads;
        this.timestampAt = timestampAt;
        this.trailMs = trailMs;
        this.description = description;
    }

    public static PayloadPool generate(MonitorSpec spec, int size, double hotShare, TimestampFormat format,
                                       long templateTime, long seed) {
        if (size < 1) throw new IllegalArgumentException("the pool needs at least one payload");
        List<ModelSpec> models = spec.models();
        Generator g = new Generator(models, hotShare, format, templateTime, seed);
        byte[][] payloads = new byte[size][];
        int[] timestampAt = new int[size];
        int[] trail = new int[size];
        int[] perModel = new int[models.size()];
        for (int i = 0; i < size; i++) {
            g.next(i);
            payloads[i] = g.payload;
            timestampAt[i] = g.timestampAt;
            trail[i] = g.trail;
            perModel[g.modelIndex]++;
        }
        StringBuilder d = new StringBuilder();
        for (int m = 0; m < models.size(); m++) {
            if (m > 0) d.append(", ");
            d.append(models.get(m).name()).append(' ').append(String.format("%.1f%%", 100.0 * perModel[m] / size));
        }
        Map<String, Integer> segmentValues = new LinkedHashMap<>();
        g.seenSegmentValues.forEach((dim, values) -> segmentValues.put(dim, values.size()));
        PayloadPool pool = new PayloadPool(java.util.UUID.randomUUID().toString(), format, payloads, timestampAt, trail,
                d.toString(), segmentValues);
        REGISTRY.put(pool.id, pool);
        return pool;
    }

    static PayloadPool lookup(String id) {
        PayloadPool pool = REGISTRY.get(id);
        if (pool == null) {
            throw new IllegalStateException("payload pool " + id + " is not in this JVM: the bench source runs on a local cluster only");
        }
        return pool;
    }

    public void unregister() {
        REGISTRY.remove(id);
    }

    public String id() {
        return id;
    }

    public TimestampFormat format() {
        return format;
    }

    public int size() {
        return payloads.length;
    }

    /** The payload as generated (with its template timestamp); do not modify. */
    byte[] template(int index) {
        return payloads[index];
    }

    /** How far this payload's event time trails the replay clock, in milliseconds. */
    int trailMs(int index) {
        return trailMs[index];
    }

    /**
     * What a Kafka consumer would hand over: a fresh array with the payload's bytes (the consumer
     * allocates one per record too), with the timestamp set to {@code epochMillis}.
     */
    byte[] materialize(int index, long epochMillis, TimestampWriter writer) {
        byte[] template = payloads[index];
        byte[] bytes = Arrays.copyOf(template, template.length);
        writer.write(bytes, timestampAt[index], epochMillis);
        return bytes;
    }

    public double averageBytes() {
        long total = 0;
        for (byte[] p : payloads) total += p.length;
        return (double) total / payloads.length;
    }

    /** Models and their share of the pool, e.g. {@code checkout-fraud 90.0%, ...}. */
    public String modelShares() {
        return description;
    }

    /** Distinct values per segment dimension in the pool, e.g. {@code country=10}. */
    public Map<String, Integer> segmentValueCounts() {
        return segmentValues;
    }

    /** One example payload as text, for the report. */
    public String example() {
        return new String(payloads[0], StandardCharsets.UTF_8);
    }

    /** Builds one payload at a time; not thread-safe. */
    private static final class Generator {
        final List<ModelSpec> models;
        final double hotShare;
        final TimestampFormat format;
        final String templateTimestamp;
        final SplittableRandom r;
        final StringBuilder sb = new StringBuilder(2048);
        final Map<String, Set<String>> seenSegmentValues = new LinkedHashMap<>();

        byte[] payload;
        int timestampAt;
        int trail;
        int modelIndex;

        Generator(List<ModelSpec> models, double hotShare, TimestampFormat format, long templateTime, long seed) {
            this.models = models;
            this.hotShare = models.size() == 1 ? 1.0 : hotShare;
            this.format = format;
            this.templateTimestamp = new TimestampWriter(format).text(templateTime);
            this.r = new SplittableRandom(seed);
        }

        void next(int i) {
            modelIndex = pickModel();
            ModelSpec m = models.get(modelIndex);
            String version = modelIndex == 0 ? (r.nextDouble() < 0.95 ? "3.2.0" : "3.3.0-rc1") : "1." + modelIndex + ".0";
            sb.setLength(0);
            sb.append("{\"model\":\"").append(m.name()).append("\",\"model_version\":\"").append(version)
                    .append("\",\"timestamp\":");
            if (format.quoted()) sb.append('"');
            int tsChar = sb.length();
            sb.append(templateTimestamp);
            if (format.quoted()) sb.append('"');
            sb.append(",\"request_id\":\"req-").append(String.format("%016x", r.nextLong())).append('"');
            appendSegments(m);
            appendFeatures(m);
            appendPrediction(m);
            sb.append(",\"latency_ms\":").append(round(Math.exp(2.3 + 0.6 * r.nextGaussian()), 1));
            boolean error = r.nextDouble() < 0.005;
            sb.append(",\"status\":\"").append(error ? "error" : "ok").append('"');
            sb.append(",\"error_code\":").append(error ? "\"timeout\"" : "null");
            sb.append(",\"served_by\":\"").append(r.nextDouble() < 0.01 ? "fallback" : "model").append("\"}");
            String text = sb.toString();
            payload = text.getBytes(StandardCharsets.UTF_8);
            timestampAt = text.substring(0, tsChar).getBytes(StandardCharsets.UTF_8).length;
            trail = r.nextDouble() < OUT_OF_ORDER_SHARE ? 1 + r.nextInt(MAX_OUT_OF_ORDER_MS) : 0;
        }

        int pickModel() {
            if (r.nextDouble() < hotShare) return 0;
            return 1 + r.nextInt(models.size() - 1);
        }

        void appendSegments(ModelSpec m) {
            sb.append(",\"segments\":{");
            List<SegmentDimension> dims = m.segments();
            for (int d = 0; d < dims.size(); d++) {
                SegmentDimension dim = dims.get(d);
                if (d > 0) sb.append(',');
                String value = segmentValue(dim);
                seenSegmentValues.computeIfAbsent(dim.name(), k -> new HashSet<>()).add(value);
                sb.append('"').append(dim.name()).append("\":\"").append(value).append('"');
            }
            sb.append('}');
        }

        String segmentValue(SegmentDimension dim) {
            if (dim.name().equals("country")) return COUNTRIES[weighted(COUNTRY_WEIGHTS)];
            if (dim.name().equals("device")) return DEVICES[weighted(DEVICE_WEIGHTS)];
            if (dim.hasFixedValues()) {
                List<String> values = dim.values();
                return values.get(zipf(values.size()));
            }
            return dim.name() + "-" + (1 + zipf(dim.maxValues()));
        }

        void appendFeatures(ModelSpec m) {
            sb.append(",\"features\":{");
            boolean first = true;
            // Interleave numeric and categorical features the way a producer's dict would order them.
            List<FeatureSpec> numeric = m.numericFeatures();
            List<FeatureSpec> categorical = m.categoricalFeatures();
            int n = numeric.size() + categorical.size();
            for (int k = 0, ni = 0, ci = 0; k < n; k++) {
                boolean takeCategorical = ci < categorical.size()
                        && (ni >= numeric.size() || (k + 1) % Math.max(1, n / Math.max(1, categorical.size())) == 0);
                if (!first) sb.append(',');
                first = false;
                if (takeCategorical) {
                    FeatureSpec f = categorical.get(ci++);
                    sb.append('"').append(f.name()).append("\":");
                    appendCategory(f);
                } else {
                    FeatureSpec f = numeric.get(ni);
                    sb.append('"').append(f.name()).append("\":");
                    appendNumber(f, ni++);
                }
            }
            sb.append('}');
        }

        void appendNumber(FeatureSpec f, int index) {
            if (r.nextDouble() < 0.01) {
                sb.append("null");
                return;
            }
            double min = f.min() == null ? 0 : f.min();
            double max = f.max() == null ? 1000 : f.max();
            double span = max - min;
            double v;
            if (r.nextDouble() < 0.003) {
                v = max + span * (0.1 + r.nextDouble());   // out of range
            } else if (span <= 10) {
                v = min + span * Math.min(1, Math.abs(0.25 + 0.15 * r.nextGaussian()));
            } else {
                v = min + Math.min(span, span * 0.02 * Math.exp(0.9 * r.nextGaussian()));
            }
            if (span <= 10) {
                sb.append(v);                                  // full precision, as json.dumps writes a float
            } else if (index % 2 == 0) {
                sb.append(Math.round(v));                      // a count
            } else {
                sb.append(round(v, 2));                        // an amount
            }
        }

        void appendCategory(FeatureSpec f) {
            double u = r.nextDouble();
            if (u < 0.01) {
                sb.append("null");
                return;
            }
            List<String> categories = f.categories();
            if (categories.isEmpty() || u < 0.015) {
                sb.append("\"unexpected_").append(r.nextInt(5)).append('"');
                return;
            }
            String value = categories.get(zipf(categories.size()));
            if (categories.size() == 2 && categories.contains("true") && categories.contains("false")) {
                sb.append(value);                              // a JSON boolean
            } else {
                sb.append('"').append(value).append('"');
            }
        }

        void appendPrediction(ModelSpec m) {
            sb.append(",\"prediction\":{");
            List<String> labels = m.prediction().labels();
            if (m.task() == ModelTask.REGRESSION) {
                double max = m.prediction().valueMax() == null ? 1_000_000 : m.prediction().valueMax();
                sb.append("\"value\":").append(round(Math.min(max, max * 0.06 * Math.exp(0.5 * r.nextGaussian())), 2));
            } else {
                double score = m.task() == ModelTask.BINARY_CLASSIFICATION ? Math.pow(r.nextDouble(), 4) : 0.3 + 0.7 * r.nextDouble();
                sb.append("\"score\":").append(score);
                if (!labels.isEmpty()) {
                    String label = m.task() == ModelTask.BINARY_CLASSIFICATION
                            ? labels.get(score >= 0.5 ? 0 : Math.min(1, labels.size() - 1))
                            : labels.get(zipf(labels.size()));
                    sb.append(",\"label\":\"").append(label).append('"');
                }
            }
            sb.append('}');
        }

        int weighted(double[] weights) {
            double total = 0;
            for (double w : weights) total += w;
            double u = r.nextDouble() * total;
            for (int i = 0; i < weights.length; i++) {
                u -= weights[i];
                if (u < 0) return i;
            }
            return weights.length - 1;
        }

        /** Index in [0, n) with probability proportional to 1 / (index + 1). */
        int zipf(int n) {
            double total = 0;
            for (int i = 1; i <= n; i++) total += 1.0 / i;
            double u = r.nextDouble() * total;
            for (int i = 0; i < n; i++) {
                u -= 1.0 / (i + 1);
                if (u < 0) return i;
            }
            return n - 1;
        }

        static double round(double v, int decimals) {
            double scale = Math.pow(10, decimals);
            return Math.round(v * scale) / scale;
        }
    }
}
