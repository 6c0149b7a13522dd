package dev.vigil.cluster;

import static dev.vigil.testing.ProfileAssertions.assertStoredProfilesMatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.testing.ExpectedProfiles;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import dev.vigil.testing.TestTraffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The packaged job jar on a real standalone Flink session cluster (deploy/standalone): a
 * JobManager and two TaskManagers as separate JVMs, the job submitted with the Flink CLI as an
 * operator would. A TaskManager is killed with SIGKILL mid-stream and replaced; the job is stopped
 * with a draining savepoint, resumed from it, fed more traffic and drained again. After each
 * drain the rows in PostgreSQL equal the exact profile of all input so far: nothing lost, nothing
 * counted twice.
 *
 * <p>Runs after {@code package} (Failsafe): it needs {@code target/vigil-0.1.0.jar} and Flink's
 * jars in {@code target/flink-lib} (collected by the build before the integration tests).
 */
class StandaloneClusterIT {
    private static final Path HOME = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    private static final Path JOB_JAR = HOME.resolve("target/vigil-0.1.0.jar");
    private static final Path FLINK_LIB = HOME.resolve("target/flink-lib");
    private static final Path SPEC_FILE = TestJobs.resource("/it/monitor-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final Pattern JOB_ID = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    /** Small processes for a 2-core CI machine; failures detected within seconds, restarts without long backoff. */
    private static final Map<String, String> TEST_OVERRIDES = Map.of(
            "jobmanager.memory.process.size", "1g",
            "taskmanager.memory.process.size", "1200m",
            // The heap backend keeps no state in managed memory; give the task heap the room instead.
            "taskmanager.memory.managed.size", "64m",
            // One slot per TaskManager: each holds one parallel instance, so killing one always hits the job.
            "taskmanager.numberOfTaskSlots", "1",
            "heartbeat.interval", "2s",
            "heartbeat.timeout", "20s",
            "restart-strategy.exponential-delay.max-backoff", "5s",
            // With the production 5s pause, --checkpoint-interval 1s would mean one checkpoint per ~5s.
            "execution.checkpointing.min-pause", "200ms");

    @Test
    void theJobJarSurvivesATaskManagerLossAndResumesFromADrainedSavepoint() throws Exception {
        assertThat(JOB_JAR).as("the job jar (run after `package`)").isRegularFile();
        assertThat(FLINK_LIB.resolve("flink-runtime-2.2.1.jar")).as("Flink's jars (collect-flink.sh)").isRegularFile();
        Path dir = Files.createTempDirectory(Files.createDirectories(HOME.resolve("target")), "standalone-cluster-it-");

        long t0 = System.nanoTime();
        CompletableFuture<Void> services = CompletableFuture.runAsync(SharedServices::startAll);
        StandaloneCluster cluster = StandaloneCluster.start(HOME, dir, FLINK_LIB, 2, TEST_OVERRIDES);
        CountDownLatch failoverDone = new CountDownLatch(1);
        boolean passed = false;
        try {
            log(t0, "cluster up: JobManager + 2 TaskManagers in " + dir);
            services.get(2, TimeUnit.MINUTES);
            String topic = SharedServices.newTopic("cluster", 2);
            String deadLetterTopic = SharedServices.newTopic("cluster-dead-letters", 1);
            String group = "vigil-cluster-it-" + topic;
            TestDatabase db = SharedServices.newDatabase("cluster");
            TestJobs.migrated(db);
            String[] jobArgs = {
                JOB_JAR.toString(), "run",
                "--spec", SPEC_FILE.toString(),
                "--bootstrap-servers", SharedServices.kafka().bootstrapServers(),
                "--inference-topic", topic,
                "--dead-letter-topic", deadLetterTopic,
                "--group-id", group,
                "--jdbc-url", db.jdbcUrl(),
                "--db-user", db.user(),
                "--checkpoint-interval", "1s",
                "--parallelism", "2"
            };

            // Two phases of traffic; the second starts 5 minutes of event time after the first ends,
            // so no window of it was closed by the first drain.
            long start = (System.currentTimeMillis() - 65 * 60_000) / 300_000 * 300_000;
            List<TestTraffic.Event> first = TestTraffic.generate(21, start, 40_000, 60);
            List<TestTraffic.Event> second = TestTraffic.generate(22, start + 45 * 60_000, 10_000, 60);

            // Phase 1: submit, stream, kill a TaskManager after a completed checkpoint, replace it.
            String job = cluster.flink(CLI_TIMEOUT, concat(new String[] {"run", "-d"}, jobArgs))
                    .requireSuccess("flink run").find(JOB_ID, "job id");
            log(t0, "submitted job " + job);
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                produceGradually(topic, first.subList(0, 20_000));
                await(failoverDone);
                produceGradually(topic, first.subList(20_000, first.size()));
            });
            awaitTrue(Duration.ofMinutes(2), "rows in window_stats", () -> rows(db) > 0);
            assertThat(cluster.prometheusMetrics()).as("Vigil's counters on the TaskManagers' Prometheus endpoints")
                    .contains("_vigil_eventsParsed");
            long completed = checkpoints(cluster, job).path("counts").path("completed").asLong();
            awaitTrue(Duration.ofMinutes(1), "a checkpoint completed after the first rows",
                    () -> checkpoints(cluster, job).path("counts").path("completed").asLong() > completed);
            assertThat(producing).as("the failure happens mid-stream").isNotDone();
            cluster.kill("taskmanager-1");
            log(t0, "killed taskmanager-1 (SIGKILL) after " + (completed + 1) + " checkpoints, " + rows(db) + " rows");
            String replacement = cluster.startTaskManager();
            log(t0, "started " + replacement);
            awaitTrue(Duration.ofMinutes(2), "the job running again, restored from a checkpoint",
                    () -> checkpoints(cluster, job).path("counts").path("restored").asLong() >= 1 && allRunning(cluster, job));
            JsonNode failures = cluster.rest("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries");
            assertThat(failures).as("the job's failures").isNotEmpty();
            log(t0, "job restored from checkpoint " + checkpoints(cluster, job).path("latest").path("restored").path("id")
                    + " after " + failures.get(0).path("exceptionName").asText() + " on " + failures.get(0).path("taskManagerId").asText());
            failoverDone.countDown();
            producing.get(2, TimeUnit.MINUTES);
            String savepoint = drain(cluster, job, group, topic, dir, t0);
            assertStoredProfilesMatch(db.dataSource(), ExpectedProfiles.of(first, SPEC));
            log(t0, "phase 1: stored profiles equal the exact profile of " + first.size() + " events");

            // Phase 2: resume from the drained savepoint, more traffic for later windows, drain again.
            String resumed = cluster.flink(CLI_TIMEOUT, concat(new String[] {"run", "-d", "-s", savepoint}, jobArgs))
                    .requireSuccess("flink run -s").find(JOB_ID, "job id");
            log(t0, "resumed from " + savepoint + " as job " + resumed);
            awaitTrue(Duration.ofMinutes(1), "the resumed job running", () -> allRunning(cluster, resumed));
            assertThat(checkpoints(cluster, resumed).path("latest").path("restored").path("external_path").asText())
                    .as("the resumed job's restored savepoint").isEqualTo(savepoint);
            produceGradually(topic, second);
            drain(cluster, resumed, group, topic, dir, t0);
            List<TestTraffic.Event> all = new ArrayList<>(first);
            all.addAll(second);
            assertStoredProfilesMatch(db.dataSource(), ExpectedProfiles.of(all, SPEC));
            log(t0, "phase 2: stored profiles equal the exact profile of all " + all.size() + " events");
            passed = true;
        } catch (Throwable t) {
            System.out.println("[StandaloneClusterIT] failed; cluster logs:\n" + cluster.logTails(60));
            throw t;
        } finally {
            failoverDone.countDown();
            cluster.close();
            log(t0, "cluster stopped");
            if (passed) deleteRecursively(dir);
        }
    }

    /**
     * Waits until the job's committed offsets (committed on each completed checkpoint) reach the
     * end of the topic, then stops it with a draining savepoint, which closes all windows.
     */
    private static String drain(StandaloneCluster cluster, String job, String group, String topic, Path dir, long t0) throws Exception {
        awaitConsumed(group, topic, Duration.ofMinutes(2));
        log(t0, "input consumed by " + job + "; draining");
        String savepoint = cluster.flink(CLI_TIMEOUT, "stop", "--drain", "--savepointPath", dir.resolve("savepoints").toUri().toString(), job)
                .requireSuccess("flink stop --drain").find(SAVEPOINT, "savepoint path");
        awaitTrue(Duration.ofMinutes(1), "job " + job + " FINISHED",
                () -> "FINISHED".equals(cluster.rest("/jobs/" + job).path("state").asText()));
        log(t0, "job " + job + " drained, savepoint " + savepoint);
        return savepoint;
    }

    private static void awaitConsumed(String group, String topic, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = Stream.of(0, 1)
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            Map<TopicPartition, Long> end = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            awaitTrue(timeout, "committed offsets of " + group + " at " + end, () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            });
        }
    }

    /** Writes the events in batches of 1,000 with a pause between them, as a live stream would arrive. */
    private static void produceGradually(String topic, List<TestTraffic.Event> events) {
        for (int from = 0; from < events.size(); from += 1_000) {
            List<byte[]> batch = events.subList(from, Math.min(events.size(), from + 1_000)).stream()
                    .map(TestTraffic.Event::json).toList();
            TestJobs.produce(topic, 2, batch);
            sleep(200);
        }
    }

    private static JsonNode checkpoints(StandaloneCluster cluster, String job) throws Exception {
        return cluster.rest("/jobs/" + job + "/checkpoints");
    }

    private static boolean allRunning(StandaloneCluster cluster, String job) throws Exception {
        JsonNode status = cluster.rest("/jobs/" + job);
        if (!"RUNNING".equals(status.path("state").asText())) return false;
        for (JsonNode vertex : status.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) return false;
        }
        return true;
    }

    private static long rows(TestDatabase db) {
        try {
            return StoredProfiles.count(db.dataSource(), "SELECT count(*) FROM window_stats");
        } catch (Exception e) {
            return -1;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) return;
                last = null;
            } catch (IOException e) {
                last = e; // the REST endpoint may be briefly unavailable
            }
            sleep(250);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("failover did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void log(long t0, String message) {
        System.out.printf("[StandaloneClusterIT %5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, message);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[StandaloneClusterIT] cannot delete " + dir + ": " + e);
        }
    }
}
