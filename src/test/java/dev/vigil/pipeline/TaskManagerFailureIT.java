package dev.vigil.pipeline;

import static dev.vigil.testing.ProfileAssertions.assertStoredProfilesMatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.ExpectedProfiles;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import dev.vigil.testing.TestTraffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager dies mid-stream; the job restores from its last checkpoint on a new one, and the
 * final rows equal those of an undisturbed run over the same input: nothing lost, nothing twice.
 */
class TaskManagerFailureIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(1).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/monitor-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final int EVENTS = 40_000;

    @Test
    void killingATaskManagerMidStreamChangesNoStoredRow(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = SharedServices.newTopic("failover", 2);
        long start = (System.currentTimeMillis() - 50 * 60_000) / 300_000 * 300_000;
        List<TestTraffic.Event> events = TestTraffic.generate(3, start, EVENTS, 60); // 40 minutes of traffic
        List<byte[]> payloads = events.stream().map(TestTraffic.Event::json).toList();
        // The job stops exactly at the end of the input, which is written while it runs.
        OffsetsInitializer endOfInput = OffsetsInitializer.offsets(Map.of(
                new TopicPartition(topic, 0), (long) EVENTS / 2, new TopicPartition(topic, 1), (long) EVENTS / 2));

        TestDatabase disturbedDb = SharedServices.newDatabase("failover");
        JdbcSettings disturbed = TestJobs.migrated(disturbedDb);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (int from = 0; from < EVENTS; from += 2_000) {
                TestJobs.produce(topic, 2, payloads.subList(from, from + 2_000));
                sleep(250);
            }
        });
        JobClient job = submit(topic, "disturbed", disturbed, endOfInput);
        awaitCompletedCheckpoints(cluster, job, 2);
        assertThat(producing).as("the failure must happen mid-stream").isNotDone();
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        producing.get(2, TimeUnit.MINUTES);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        assertThat(cluster.getArchivedExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted after the TaskManager was lost").isPositive();

        TestDatabase undisturbedDb = SharedServices.newDatabase("undisturbed");
        JdbcSettings undisturbed = TestJobs.migrated(undisturbedDb);
        submit(topic, "undisturbed", undisturbed, endOfInput).getJobExecutionResult().get(3, TimeUnit.MINUTES);

        // Counts are exact in both; sketch quantiles may differ between runs only within their error bound.
        Map<ExpectedProfiles.RowKey, List<TestTraffic.Event>> expected = ExpectedProfiles.of(events, SPEC);
        assertStoredProfilesMatch(disturbedDb.dataSource(), expected);
        assertStoredProfilesMatch(undisturbedDb.dataSource(), expected);
        String exactColumns = "SELECT model, model_version, segment, window_start, events, errors, fallbacks, latency_count, "
                + "score_count, label_counts::text, folded_values, late_events_dropped FROM window_stats ORDER BY 1, 2, 3, 4";
        assertThat(StoredProfiles.query(disturbedDb.dataSource(), exactColumns))
                .isEqualTo(StoredProfiles.query(undisturbedDb.dataSource(), exactColumns));
        String exactFeatureColumns = "SELECT model, model_version, segment, window_start, feature, count, missing, type_mismatch, "
                + "out_of_range, unexpected, min, max, top_values::text FROM feature_stats ORDER BY 1, 2, 3, 4, 5";
        assertThat(StoredProfiles.query(disturbedDb.dataSource(), exactFeatureColumns))
                .isEqualTo(StoredProfiles.query(undisturbedDb.dataSource(), exactFeatureColumns));
    }

    private static JobClient submit(String topic, String run, JdbcSettings db, OffsetsInitializer endOfInput) throws Exception {
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(restart);
        JobConfig config = TestJobs.boundedJob(topic, null, db, SPEC_FILE);
        config = new JobConfig(config.specFile(), config.bootstrapServers(), config.inferenceTopic(), null, null, null,
                config.groupId() + "-" + run, config.startingOffsets(), true, config.watermarks(), config.parserLimits(),
                config.database(), Duration.ofMillis(500), 2);
        VigilJob.define(env, config, SPEC, VigilJob.inferenceSource(config, SPEC, endOfInput));
        return env.executeAsync("failover IT " + run);
    }

    private static void awaitCompletedCheckpoints(MiniCluster cluster, JobClient job, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            var graph = cluster.getExecutionGraph(job.getJobID()).get();
            var stats = graph.getCheckpointStatsSnapshot();
            if (stats != null && stats.getCounts().getNumberOfCompletedCheckpoints() >= count) return;
            sleep(100);
        }
        throw new AssertionError("no " + count + " completed checkpoints within a minute");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
