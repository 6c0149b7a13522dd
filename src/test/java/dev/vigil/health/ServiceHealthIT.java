package dev.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.VigilJob;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import dev.vigil.testing.TestTraffic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Service health end to end on the real Kafka and PostgreSQL: an error spike in one segment of
 * one model opens an {@code error_rate} alert, at the windows an exact count of the events says,
 * and resolves after it; the other model, checked by the same SLOs and by data checks, raises
 * nothing.
 */
class ServiceHealthIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/health-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final long MINUTE = 60_000;

    @Test
    void anErrorSpikeInOneSegmentOpensAnErrorRateAlertAndACleanModelOpensNone() throws Exception {
        long start = (System.currentTimeMillis() - 3 * 60 * MINUTE) / (5 * MINUTE) * (5 * MINUTE);
        long spikeFrom = start + 8 * MINUTE;
        long spikeTo = start + 14 * MINUTE;
        // 20 minutes of both models (3% errors everywhere); from minute 8 to 14, 40% of the
        // estimator's requests in region s fail.
        SplittableRandom r = new SplittableRandom(3);
        List<TestTraffic.Event> events = new ArrayList<>();
        for (TestTraffic.Event e : TestTraffic.generate(31, start, 26_000, 45)) {
            boolean spiking = e.model().equals("estimator") && "s".equals(e.region())
                    && e.timestamp() >= spikeFrom && e.timestamp() < spikeTo;
            events.add(spiking && r.nextDouble() < 0.4 ? failed(e) : e);
        }

        // The exact error rate of region s per window, from the events themselves.
        TreeMap<Long, long[]> southByWindow = new TreeMap<>();
        for (TestTraffic.Event e : events) {
            if (!e.model().equals("estimator") || !"s".equals(e.region())) continue;
            long[] c = southByWindow.computeIfAbsent(e.timestamp() - Math.floorMod(e.timestamp(), MINUTE) + MINUTE, k -> new long[2]);
            c[0]++;
            if (e.error()) c[1]++;
        }
        southByWindow.forEach((end, c) -> {
            double rate = (double) c[1] / c[0];
            assertThat(c[0]).as("events in the window to %d", end).isGreaterThanOrEqualTo(50);
            if (end > spikeFrom && end <= spikeTo) assertThat(rate).as("spiking window").isGreaterThan(0.2);
            else assertThat(rate).as("normal window").isLessThanOrEqualTo(0.1);
        });

        TestDatabase db = SharedServices.newDatabase("health");
        JdbcSettings settings = TestJobs.migrated(db);
        String topic = SharedServices.newTopic("health", 2);
        TestJobs.produce(topic, 2, events.stream().map(TestTraffic.Event::json).toList());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, TestJobs.boundedJob(topic, null, settings, SPEC_FILE), SPEC);
        env.execute("service health IT");

        List<Map<String, Object>> alerts = StoredProfiles.query(db.dataSource(),
                "SELECT model, segment, feature, kind, severity, status, opened_at, fired_at, resolved_at, score, threshold, "
                        + "explanation FROM alerts ORDER BY segment");
        assertThat(alerts).as("only the estimator's error rate, where region s is counted: %s", alerts)
                .allSatisfy(a -> {
                    assertThat(a.get("model")).isEqualTo("estimator");
                    assertThat(a.get("kind")).isEqualTo("error_rate");
                    assertThat(a.get("segment")).isIn("region=s", "all");
                });
        Map<String, Object> south = alerts.stream().filter(a -> a.get("segment").equals("region=s")).findFirst().orElseThrow();
        // fire-after 2: opened at the first spiking window, fired at the second; resolve-after 2: resolved
        // at the second clean window after the spike.
        assertThat(south.get("opened_at")).isEqualTo(spikeFrom + MINUTE);
        assertThat(south.get("fired_at")).isEqualTo(spikeFrom + 2 * MINUTE);
        assertThat(south.get("severity")).isEqualTo("critical");
        assertThat(south.get("status")).isEqualTo("resolved");
        assertThat(south.get("resolved_at")).isEqualTo(spikeTo + 2 * MINUTE);
        assertThat(south.get("feature")).isEqualTo("");
        long[] resolving = southByWindow.get(spikeTo + 2 * MINUTE);
        assertThat(south.get("score")).as("the error rate of the resolving window").isEqualTo((double) resolving[1] / resolving[0]);
        assertThat(south.get("threshold")).isEqualTo(0.1);
        assertThat((String) south.get("explanation")).startsWith("Resolved: 2 consecutive evaluations without a breach. error rate ")
                .contains("(" + resolving[1] + " of " + resolving[0] + " requests failed)")
                .contains("in segment region=s is within the SLO (warning above 10.0%)");
    }

    private static TestTraffic.Event failed(TestTraffic.Event e) {
        return new TestTraffic.Event(e.model(), e.version(), e.timestamp(), e.requestId(), e.country(), e.channel(), e.region(),
                true, e.fallback(), e.latencyMs(), e.score(), e.label(), null, e.amount(), e.age(), e.merchant(), e.size());
    }
}
