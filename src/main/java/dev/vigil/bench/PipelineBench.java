package dev.vigil.bench;

import dev.vigil.events.ParserLimits;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.drift.ReferenceStore;
import dev.vigil.pipeline.VigilPipeline;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.spec.MonitorSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the production pipeline ({@link VigilPipeline#define}) with the production job settings
 * ({@link VigilJob#configure}: no Kryo, object reuse, checkpointing) on a local cluster in this
 * JVM, fed by a {@link BenchSource} and ending in {@link DiscardingResultSinks}.
 *
 * <p>The cluster's operational settings follow flink-conf/config.yaml: heap state backend,
 * checkpoints to the file system (here a temporary directory, removed afterwards), 5 s minimum
 * pause. A local cluster would otherwise keep checkpoints on the JobManager heap, whose 5 MB
 * limit the merger's state (full sketches of every segment for the allowed lateness) exceeds
 * within seconds: the checkpoint fails and the job restarts from the beginning.
 */
public final class PipelineBench {
    private final MonitorSpec spec;
    private final PayloadPool pool;
    private final long startMillis;
    private final long spanMillis;
    private final Duration checkpointInterval;

    public PipelineBench(MonitorSpec spec, PayloadPool pool, long startMillis, long spanMillis, Duration checkpointInterval) {
        this.spec = spec;
        this.pool = pool;
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
        this.checkpointInterval = checkpointInterval;
    }

    /** The outcome of one job. */
    public record Result(int parallelism, long events, double processingSeconds, double sourceSeconds, double jobSeconds,
                         double taskCpuSeconds, double processCpuSeconds,
                         long profiledEvents, long lateDropped, long deadLetters, long windowRows, long featureRows) {
        public double eventsPerSecond() {
            return events / processingSeconds;
        }

        /** CPU time of the task threads per event: what an event costs, whatever else shares the cores. */
        public double cpuNanosPerEvent() {
            return taskCpuSeconds * 1e9 / events;
        }

        /** True when the result rows account for every event exactly once. */
        public boolean complete() {
            return profiledEvents == events && lateDropped == 0 && deadLetters == 0;
        }
    }

    public Result run(int parallelism, long events) throws Exception {
        BenchProbe probe = BenchProbe.create();
        Path checkpoints = Files.createTempDirectory("vigil-bench-checkpoints-");
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofSeconds(5));
        try (StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf)) {
            VigilJob.configure(env, jobConfig(parallelism));
            BenchSource source = new BenchSource(pool, probe, spec, ParserLimits.DEFAULTS, events, parallelism, startMillis, spanMillis);
            VigilPipeline.define(env, source, null, spec, WatermarkSettings.DEFAULTS, ReferenceStore.NONE, new DiscardingResultSinks(probe));
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            env.execute("vigil bench, parallelism " + parallelism);
            double jobSeconds = (System.nanoTime() - t0) / 1e9;
            double processCpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            return new Result(parallelism, probe.emitted(), probe.processingSeconds(), probe.sourceSeconds(), jobSeconds,
                    probe.taskCpuSeconds(), processCpuSeconds,
                    probe.profiledEvents(), probe.lateDropped(), probe.deadLetters(), probe.windowRows(), probe.featureRows());
        } finally {
            probe.unregister();
            deleteRecursively(checkpoints);
        }
    }

    /** CPU time of the whole JVM (task threads, GC, JIT, Flink's own threads); -1 where unknown. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /** Only what {@link VigilJob#configure} reads; Kafka and the database are not used. */
    private JobConfig jobConfig(int parallelism) {
        return new JobConfig(null, null, null, null, null, null, null, JobConfig.StartingOffsets.EARLIEST, true,
                WatermarkSettings.DEFAULTS, ParserLimits.DEFAULTS, null, checkpointInterval, parallelism);
    }
}
