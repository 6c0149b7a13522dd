package dev.vigil.cli;

import dev.vigil.demo.DemoRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs everything embedded: the quickest way to see Vigil work. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run Vigil end to end on this machine: embedded Kafka and PostgreSQL, the job on a local Flink",
                "cluster, and generated traffic and feedback for three models: a day of clean history, then a scenario",
                "with scheduled incidents. Ends with a summary read back from PostgreSQL."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "6h", converter = DurationConverter.class,
            description = "Simulated traffic to generate (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--history", defaultValue = "24h", converter = DurationConverter.class,
            description = "Clean traffic streamed before the scenario, as fast as possible, so detectors have a daily"
                    + " baseline (default ${DEFAULT-VALUE}; 0s for none).")
    Duration history;

    @Option(names = "--wall-time", defaultValue = "60s", converter = DurationConverter.class,
            description = "Wall-clock time to spread the simulated traffic over (default ${DEFAULT-VALUE}).")
    Duration wallTime;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", description = "Incident scenario (YAML); default: the built-in demo scenario.")
    Path scenario;

    @Option(names = "--bad-record-rate", defaultValue = "0.0005",
            description = "Share of malformed or invalid records, to show dead letters (default ${DEFAULT-VALUE}).")
    double badRecordRate;

    @Option(names = "--keep-running", description = "Keep Kafka and PostgreSQL up after the summary, to explore.")
    boolean keepRunning;

    @Option(names = "--summary-file", description = "Also write the summary as JSON to this file.")
    Path summaryFile;

    @Option(names = "--db-port", defaultValue = "0", description = "PostgreSQL port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int dbPort;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--work-dir", description = "Where the demo keeps its spec copy and savepoints; default: a temp directory.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        if (duration.isZero() || duration.isNegative()) throw new IllegalArgumentException("--duration must be positive");
        if (history.isNegative()) throw new IllegalArgumentException("--history must not be negative");
        if (badRecordRate < 0 || badRecordRate > 1) throw new IllegalArgumentException("--bad-record-rate must be in [0, 1]");
        new DemoRun(new DemoRun.Options(duration, wallTime, seed, scenario, badRecordRate, keepRunning, summaryFile, dbPort,
                parallelism, workDir, history), System.out).run();
        return 0;
    }
}
