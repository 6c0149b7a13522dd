package dev.vigil.pipeline;

import static dev.vigil.testing.ProfileAssertions.assertStoredProfilesMatch;

import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.ExpectedProfiles;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import dev.vigil.testing.TestTraffic;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka → job on a MiniCluster → PostgreSQL, compared with the exact profile of the input. */
class ProfilePipelineIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/monitor-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);

    @Test
    void everyStoredCountIsExactAndEveryQuantileWithinTheSketchError() throws Exception {
        String topic = SharedServices.newTopic("inference", 2);
        TestDatabase db = SharedServices.newDatabase("profiles");
        JdbcSettings store = TestJobs.migrated(db);
        long fiveMinutes = 300_000;
        long start = (System.currentTimeMillis() - 45 * 60_000) / fiveMinutes * fiveMinutes;
        List<TestTraffic.Event> events = TestTraffic.generate(1, start, 20_000, 90); // 30 minutes of traffic
        TestJobs.produce(topic, 2, events.stream().map(TestTraffic.Event::json).toList());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, TestJobs.boundedJob(topic, null, store, SPEC_FILE), SPEC);
        env.execute("profile pipeline IT");

        assertStoredProfilesMatch(db.dataSource(), ExpectedProfiles.of(events, SPEC));
    }
}
