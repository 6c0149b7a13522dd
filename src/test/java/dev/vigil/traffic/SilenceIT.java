package dev.vigil.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Evaluation;
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
import dev.vigil.testing.TestTraffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Silent models end to end on the real Kafka and PostgreSQL, with an unbounded job: two models
 * send traffic, then nothing arrives at all, so event time stands still; the silence alerts
 * still appear, found by wall-clock timers. Traffic of one model then returns and its alert
 * resolves.
 */
class SilenceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/silence-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final long MINUTE = 60_000;
    private static final long AFTER = 5_000;

    @Test
    void modelsSilentWhileEverythingIsIdleAreAlertedAndTheOneThatReturnsIsResolved() throws Exception {
        TestDatabase db = SharedServices.newDatabase("silence");
        JdbcSettings settings = TestJobs.migrated(db);
        String topic = SharedServices.newTopic("silence", 2);
        long start = System.currentTimeMillis() - 10 * MINUTE;
        List<TestTraffic.Event> first = TestTraffic.generate(8, start, 3000, 100); // five minutes of both models
        TestJobs.produce(topic, 2, first.stream().map(TestTraffic.Event::json).toList());

        JobConfig config = new JobConfig(SPEC_FILE, SharedServices.kafka().bootstrapServers(), topic, null, null, null,
                "vigil-test-" + topic, JobConfig.StartingOffsets.EARLIEST, false,
                new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(2)), ParserLimits.DEFAULTS, settings,
                Duration.ofSeconds(1), 2).validate();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, config, SPEC);
        long submitted = System.currentTimeMillis();
        JobClient job = env.executeAsync("silence IT");
        try {
            // Nothing else is sent: every input goes idle and the watermark stays behind the last events.
            List<Map<String, Object>> alerts = await(db, "SELECT * FROM alerts WHERE kind = 'silence' ORDER BY model", 2);
            long seen = System.currentTimeMillis();
            assertThat(seen - submitted).as("not before `after` of wall-clock time").isGreaterThanOrEqualTo(AFTER);
            System.out.printf("silence alerts stored %d ms after the job was submitted (after = %d ms)%n", seen - submitted, AFTER);

            Map<String, List<TestTraffic.Event>> byModel = first.stream().collect(Collectors.groupingBy(TestTraffic.Event::model));
            assertThat(alerts).extracting(a -> a.get("model")).containsExactly("estimator", "scorer");
            for (Map<String, Object> a : alerts) {
                List<TestTraffic.Event> events = byModel.get((String) a.get("model"));
                long lastWindowEnd = windowEnd(events.stream().mapToLong(TestTraffic.Event::timestamp).max().orElseThrow());
                String version = events.stream().filter(e -> windowEnd(e.timestamp()) == lastWindowEnd)
                        .map(TestTraffic.Event::version).max(Comparator.naturalOrder()).orElseThrow();
                assertThat(a.get("alert_id")).isEqualTo(Evaluation.alertId(
                        Evaluation.key((String) a.get("model"), version, "all", "", "silence"), lastWindowEnd));
                assertThat(a.get("model_version")).isEqualTo(version);
                assertThat(a.get("segment")).isEqualTo("all");
                assertThat(a.get("feature")).isEqualTo("");
                assertThat(a.get("status")).isEqualTo("open");
                assertThat(a.get("severity")).isEqualTo("critical");
                assertThat(a.get("opened_at")).isEqualTo(lastWindowEnd);
                assertThat(a.get("fired_at")).isEqualTo(lastWindowEnd + AFTER);
                assertThat(a.get("resolved_at")).isNull();
                assertThat((String) a.get("explanation")).contains("of wall-clock time");
            }

            // The traffic detector wrote the scorer's closed buckets (minutes): every version, each event once.
            List<Map<String, Object>> buckets = StoredProfiles.query(db.dataSource(),
                    "SELECT * FROM traffic_expectations WHERE model = 'scorer' AND segment = 'all' ORDER BY bucket_start");
            assertThat(buckets).hasSizeGreaterThanOrEqualTo(3);
            long firstEvent = byModel.get("scorer").stream().mapToLong(TestTraffic.Event::timestamp).min().orElseThrow();
            long firstFullMinute = windowEnd(firstEvent);
            for (Map<String, Object> b : buckets) {
                long bucketStart = (Long) b.get("bucket_start");
                assertThat(bucketStart).isGreaterThanOrEqualTo(firstFullMinute); // the first minute seen is not history
                long sent = byModel.get("scorer").stream()
                        .filter(e -> e.timestamp() >= bucketStart && e.timestamp() < bucketStart + MINUTE).count();
                assertThat(b.get("observed")).as("events in %s", b.get("bucket_start")).isEqualTo(sent);
                assertThat(b.get("expected")).isNull();
                assertThat(b.get("history_seasons")).isEqualTo(0);
            }

            // The scorer's traffic returns (newer events); the estimator stays silent.
            List<TestTraffic.Event> back = TestTraffic.generate(9, start + 7 * MINUTE, 600, 100).stream()
                    .filter(e -> e.model().equals("scorer")).toList();
            TestJobs.produce(topic, 2, back.stream().map(TestTraffic.Event::json).toList());
            List<Map<String, Object>> resolved = await(db, "SELECT * FROM alerts WHERE kind = 'silence' AND status = 'resolved'", 1);
            assertThat(resolved).singleElement().satisfies(a -> {
                assertThat(a.get("model")).isEqualTo("scorer");
                assertThat((Long) a.get("resolved_at")).isGreaterThanOrEqualTo((Long) a.get("fired_at"));
                assertThat((String) a.get("explanation")).startsWith("Resolved: traffic of scorer returned");
            });
            assertThat(StoredProfiles.query(db.dataSource(), "SELECT model, status FROM alerts WHERE kind = 'silence' ORDER BY model"))
                    .extracting(a -> a.get("model") + " " + a.get("status"))
                    .containsExactly("estimator open", "scorer resolved");
        } finally {
            job.cancel().get();
        }
    }

    private static long windowEnd(long timestamp) {
        return timestamp - Math.floorMod(timestamp, MINUTE) + MINUTE;
    }

    private static List<Map<String, Object>> await(TestDatabase db, String sql, int rows) throws Exception {
        long deadline = System.currentTimeMillis() + 45_000;
        List<Map<String, Object>> found = List.of();
        while (System.currentTimeMillis() < deadline) {
            found = StoredProfiles.query(db.dataSource(), sql);
            if (found.size() >= rows) return found;
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + rows + " rows of " + sql + " within 45 s, found " + found);
    }
}
