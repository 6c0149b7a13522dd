package dev.vigil.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.events.ParserLimits;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Usage and performance end to end on the real Kafka and PostgreSQL: predictions over six
 * windows, feedback in random order across windows (some labels stamped before their
 * predictions), the job bounded to the end of both topics. The stored rows, rewritten as late
 * feedback arrived, end equal to the exact counts and metrics of the full joined data, computed
 * here from the events themselves.
 */
class OutcomeWindowsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/outcome-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final long MIN = 60_000;
    private static final long WINDOW = 10 * MIN;
    private static final String[] COUNTRIES = {"DE", "FR", "IT", null};
    private static final String[] REGIONS = {"n", "s", "e"};
    private static final String[] ACTIONS = {"accepted", "overridden", "ignored", "escalated"};
    /** Metrics computed exactly below; the job's other metrics (ECE, MAPE, label delays) are tested in their own unit tests. */
    private static final Set<String> EXACT = Set.of("accuracy", "precision", "recall", "f1", "roc_auc", "brier", "log_loss",
            "mae", "rmse", "mean_error", "label_coverage");

    /** One prediction and what happened to it. */
    record Prediction(String model, String version, long time, String id, String segment, boolean error, boolean fallback,
                      double score, double value, String action, String trueLabel, double trueValue) {
        boolean labeled() {
            return trueLabel != null || !Double.isNaN(trueValue);
        }

        List<String> segments() {
            String dim = model.equals("scorer") ? "country" : "region";
            String v = segment == null ? "unknown" : segment;
            boolean kept = v.equals("unknown") || (model.equals("scorer") ? v.equals("DE") || v.equals("FR") : v.equals("n") || v.equals("s"));
            return List.of("all", dim + "=" + (kept ? v : "other"));
        }

        byte[] json() {
            StringBuilder b = new StringBuilder(256).append("{\"model\":\"").append(model).append("\",\"model_version\":\"")
                    .append(version).append("\",\"timestamp\":").append(time).append(",\"request_id\":\"").append(id)
                    .append("\",\"status\":\"").append(error ? "error" : "ok").append('"');
            if (error) b.append(",\"error_code\":\"TIMEOUT\"");
            b.append(",\"served_by\":\"").append(fallback ? "fallback" : "model").append("\",\"latency_ms\":12.5,\"segments\":{");
            if (segment != null) b.append('"').append(model.equals("scorer") ? "country" : "region").append("\":\"").append(segment).append('"');
            b.append("},\"features\":{").append(model.equals("scorer") ? "\"amount\":" : "\"size\":").append(42.0).append('}');
            if (!error) {
                b.append(",\"prediction\":{");
                if (model.equals("scorer")) b.append("\"score\":").append(score).append(",\"label\":\"").append(score >= 0.5 ? "yes" : "no").append('"');
                else b.append("\"value\":").append(value);
                b.append('}');
            }
            return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void finalStoredRowsEqualTheExactCountsAndMetricsOfTheJoinedData() throws Exception {
        long start = (System.currentTimeMillis() - 4 * 60 * MIN) / (60 * MIN) * (60 * MIN);
        SplittableRandom r = new SplittableRandom(11);
        List<Prediction> predictions = new ArrayList<>();
        List<byte[]> feedback = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            boolean scorer = r.nextDouble() < 0.6;
            long time = start + r.nextLong(6 * WINDOW);
            boolean error = r.nextDouble() < 0.04;
            boolean fallback = r.nextDouble() < 0.05;
            // Scores with three decimals: ties, and AUC exact in the job's histogram.
            double score = error || !scorer ? Double.NaN : Math.round(r.nextDouble() * 1000) / 1000.0;
            double value = error || scorer ? Double.NaN : Math.round(1000 + 3000 * r.nextDouble());
            String action = r.nextDouble() < 0.6 ? ACTIONS[r.nextInt(4)] : null;
            String trueLabel = null;
            double trueValue = Double.NaN;
            if (r.nextDouble() < 0.7) {
                if (scorer) {
                    // The label agrees with the score more often than not, so metrics are informative.
                    double p = Double.isNaN(score) ? 0.3 : 0.15 + 0.7 * score;
                    trueLabel = r.nextDouble() < p ? "yes" : "no";
                } else {
                    trueValue = Math.round((Double.isNaN(value) ? 2500 : value) + 600 * (r.nextDouble() - 0.4));
                }
            }
            Prediction p = new Prediction(scorer ? "scorer" : "estimator", scorer && r.nextDouble() < 0.3 ? "v2" : "v1", time,
                    "req-" + i, scorer ? COUNTRIES[r.nextInt(4)] : REGIONS[r.nextInt(3)], error, fallback, score, value, action,
                    trueLabel, trueValue);
            predictions.add(p);
            // Feedback: the action within minutes; the label from 5 minutes before the prediction to 100 minutes after;
            // sometimes both in one event.
            long actionTime = time + r.nextLong(1_000, 8 * MIN);
            long labelTime = time + r.nextLong(-5 * MIN, 100 * MIN);
            if (action != null && p.labeled() && r.nextDouble() < 0.3) {
                feedback.add(feedbackJson(p, labelTime, action, true));
            } else {
                if (action != null) feedback.add(feedbackJson(p, actionTime, action, false));
                if (p.labeled()) feedback.add(feedbackJson(p, labelTime, null, true));
            }
        }
        Collections.shuffle(feedback, new Random(3)); // out of order across windows

        TestDatabase db = SharedServices.newDatabase("outcome_windows");
        JdbcSettings settings = TestJobs.migrated(db);
        String inferenceTopic = SharedServices.newTopic("outcome-inference", 2);
        String feedbackTopic = SharedServices.newTopic("outcome-feedback", 2);
        predictions.sort(java.util.Comparator.comparingLong(Prediction::time));
        TestJobs.produce(inferenceTopic, 2, predictions.stream().map(Prediction::json).toList());
        TestJobs.produce(feedbackTopic, 2, feedback);

        JobConfig config = new JobConfig(SPEC_FILE, SharedServices.kafka().bootstrapServers(), inferenceTopic, feedbackTopic, null,
                null, "vigil-test-" + inferenceTopic, JobConfig.StartingOffsets.EARLIEST, true,
                // No idleness: both topics have data to their end, and on a loaded machine an input marked idle lets
                // the other one's watermark run ahead, so windows are first seen after their evaluation time.
                new WatermarkSettings(Duration.ofSeconds(10), Duration.ZERO), ParserLimits.DEFAULTS, settings,
                Duration.ofSeconds(1), 2).validate();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, config, SPEC);
        long t0 = System.nanoTime();
        env.execute("outcome windows IT");
        System.out.printf(Locale.ROOT, "[OutcomeWindowsIT] %d predictions, %d feedback events, job %d ms%n",
                predictions.size(), feedback.size(), (System.nanoTime() - t0) / 1_000_000);

        // Usage: exact counts per model, version, segment and window.
        Map<String, long[]> expectedUsage = new TreeMap<>();
        for (Prediction p : predictions) {
            for (String segment : p.segments()) {
                long[] c = expectedUsage.computeIfAbsent(key(p, segment, usageWindow(p.model)), k -> new long[7]);
                c[0]++;
                if (p.error) c[1]++;
                if (p.fallback) c[2]++;
                if (p.action != null) c[3 + List.of(ACTIONS).indexOf(p.action)]++;
            }
        }
        Map<String, long[]> storedUsage = new TreeMap<>();
        for (Map<String, Object> row : StoredProfiles.query(db.dataSource(), "SELECT * FROM usage_stats")) {
            storedUsage.put(row.get("model") + "/" + row.get("model_version") + "/" + row.get("segment") + "@" + row.get("window_start"),
                    new long[] {(Long) row.get("predictions"), (Long) row.get("errors"), (Long) row.get("fallbacks"),
                        (Long) row.get("accepted"), (Long) row.get("overridden"), (Long) row.get("ignored"), (Long) row.get("escalated")});
            assertThat((Long) row.get("window_end") - (Long) row.get("window_start")).isEqualTo(usageWindow((String) row.get("model")));
        }
        assertThat(storedUsage.keySet()).isEqualTo(expectedUsage.keySet());
        for (String k : expectedUsage.keySet()) {
            assertThat(storedUsage.get(k)).as("usage of %s", k).containsExactly(expectedUsage.get(k));
        }

        // Performance: the exact metrics of every labeled prediction, per model, version, segment and window.
        Map<String, List<Prediction>> groups = new TreeMap<>();
        for (Prediction p : predictions) {
            for (String segment : p.segments()) groups.computeIfAbsent(key(p, segment, WINDOW), k -> new ArrayList<>()).add(p);
        }
        Map<String, Map<String, Map<String, Object>>> stored = new HashMap<>();
        for (Map<String, Object> row : StoredProfiles.query(db.dataSource(), "SELECT * FROM performance_metrics")) {
            String k = row.get("model") + "/" + row.get("model_version") + "/" + row.get("segment") + "@" + row.get("window_start");
            stored.computeIfAbsent(k, x -> new TreeMap<>()).put((String) row.get("metric"), row);
        }
        assertThat(stored.keySet()).isEqualTo(groups.keySet());
        int compared = 0;
        for (Map.Entry<String, List<Prediction>> g : groups.entrySet()) {
            Map<String, Double> exact = exactMetrics(g.getValue());
            Map<String, Map<String, Object>> rows = stored.get(g.getKey());
            Map<String, Double> actual = new TreeMap<>();
            rows.forEach((metric, row) -> {
                if (EXACT.contains(metric)) actual.put(metric, (Double) row.get("value"));
            });
            assertThat(actual.keySet()).as("metrics of %s", g.getKey()).isEqualTo(exact.keySet());
            for (Map.Entry<String, Double> m : exact.entrySet()) {
                assertThat(actual.get(m.getKey())).as("%s of %s", m.getKey(), g.getKey())
                        .isCloseTo(m.getValue(), within(1e-9 * Math.max(1, Math.abs(m.getValue()))));
                compared++;
            }
            long labeled = g.getValue().stream().filter(Prediction::labeled).count();
            assertThat(rows.get("label_coverage").get("labels")).isEqualTo(labeled);
            assertThat(rows.get("label_coverage").get("predictions")).isEqualTo((long) g.getValue().size());
        }
        System.out.printf(Locale.ROOT, "[OutcomeWindowsIT] %d usage rows, %d metric values compared exactly%n",
                storedUsage.size(), compared);
        assertThat(compared).isGreaterThan(300);

        // Alerts: a quarter of the scorer's actions are overrides and a quarter ignores, against baselines of 10%:
        // every segment with two evaluated windows in a row (at least 20 actions each) opens both alerts. The
        // performance and coverage references are met, so nothing else alerts.
        Set<String> expectedAlerts = new java.util.TreeSet<>();
        Map<String, List<long[]>> evaluatedWindows = new TreeMap<>();
        expectedUsage.forEach((k, c) -> {
            if (k.startsWith("scorer/") && c[3] + c[4] + c[5] + c[6] >= 20) {
                evaluatedWindows.computeIfAbsent(k.substring(0, k.indexOf('@')), x -> new ArrayList<>()).add(c);
            }
        });
        evaluatedWindows.forEach((k, windows) -> {
            for (int kind = 0; kind < 2; kind++) {
                int run = 0;
                for (long[] c : windows) { // in window order: the map is sorted by key, and window starts have the same digits
                    double rate = (double) c[kind == 0 ? 4 : 5] / (c[3] + c[4] + c[5] + c[6]);
                    run = rate - 0.1 >= 0.05 ? run + 1 : 0;
                    if (run >= 2) expectedAlerts.add(k + "/" + (kind == 0 ? "override_rate" : "ignore_rate"));
                }
            }
        });
        Set<String> alerts = new java.util.TreeSet<>();
        for (Map<String, Object> a : StoredProfiles.query(db.dataSource(), "SELECT model, model_version, segment, kind FROM alerts")) {
            alerts.add(a.get("model") + "/" + a.get("model_version") + "/" + a.get("segment") + "/" + a.get("kind"));
        }
        assertThat(expectedAlerts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(alerts).isEqualTo(expectedAlerts);
    }

    private static String key(Prediction p, String segment, long window) {
        return p.model + "/" + p.version + "/" + segment + "@" + (p.time - Math.floorMod(p.time, window));
    }

    /** The scorer's adoption section sets 10-minute usage windows; the estimator has none: the default hour. */
    private static long usageWindow(String model) {
        return model.equals("scorer") ? WINDOW : 60 * MIN;
    }

    private static byte[] feedbackJson(Prediction p, long time, String action, boolean label) {
        StringBuilder b = new StringBuilder(128).append("{\"request_id\":\"").append(p.id).append("\",\"model\":\"").append(p.model)
                .append("\",\"timestamp\":").append(time);
        if (action != null) b.append(",\"action\":\"").append(action).append('"');
        if (label && p.trueLabel != null) b.append(",\"label\":\"").append(p.trueLabel).append('"');
        if (label && !Double.isNaN(p.trueValue)) b.append(",\"value\":").append(p.trueValue);
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The textbook definitions, straight from the labeled predictions of one group. */
    static Map<String, Double> exactMetrics(List<Prediction> group) {
        Map<String, Double> m = new TreeMap<>();
        long labeled = group.stream().filter(Prediction::labeled).count();
        m.put("label_coverage", (double) labeled / group.size());
        List<Prediction> scored = group.stream().filter(p -> p.labeled() && !p.error).toList();
        if (scored.isEmpty()) return m;
        if (group.get(0).model.equals("scorer")) {
            long tp = 0, fp = 0, fn = 0, right = 0;
            double brier = 0, logLoss = 0;
            List<Double> pos = new ArrayList<>(), neg = new ArrayList<>();
            for (Prediction p : scored) {
                boolean y = p.trueLabel.equals("yes");
                boolean yhat = p.score >= 0.5;
                if (y == yhat) right++;
                if (y && yhat) tp++;
                if (!y && yhat) fp++;
                if (y && !yhat) fn++;
                brier += (p.score - (y ? 1 : 0)) * (p.score - (y ? 1 : 0));
                double q = Math.min(Math.max(p.score, 1e-15), 1 - 1e-15);
                logLoss -= y ? Math.log(q) : Math.log(1 - q);
                (y ? pos : neg).add(p.score);
            }
            int n = scored.size();
            m.put("accuracy", (double) right / n);
            if (tp + fp > 0) m.put("precision", (double) tp / (tp + fp));
            if (tp + fn > 0) m.put("recall", (double) tp / (tp + fn));
            // F1 = 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, 0 when either is 0 or undefined.
            if (2 * tp + fp + fn > 0) m.put("f1", 2.0 * tp / (2.0 * tp + fp + fn));
            m.put("brier", brier / n);
            m.put("log_loss", logLoss / n);
            if (!pos.isEmpty() && !neg.isEmpty()) {
                double wins = 0;
                for (double sp : pos) for (double sn : neg) wins += sp > sn ? 1 : sp == sn ? 0.5 : 0;
                m.put("roc_auc", wins / ((double) pos.size() * neg.size()));
            }
        } else {
            double abs = 0, sq = 0, err = 0;
            for (Prediction p : scored) {
                double e = p.value - p.trueValue;
                abs += Math.abs(e);
                sq += e * e;
                err += e;
            }
            int n = scored.size();
            m.put("mae", abs / n);
            m.put("rmse", Math.sqrt(sq / n));
            m.put("mean_error", err / n);
        }
        return m;
    }
}
